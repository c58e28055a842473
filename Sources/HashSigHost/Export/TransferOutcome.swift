import HalRPC

/// Where one transfer stands at the end of an export run.
public struct TransferOutcome: Hashable, Sendable, Codable {
    /// The transfer's id.
    public var transfer: String
    /// The id of the plan it belongs to.
    public var plan: String
    /// The board the leaves left.
    public var source: BoardName
    /// The board that is to hold them.
    public var destination: BoardName
    /// The top-level leaves moved.
    public var range: LeafRange
    /// Where it stands: `verified` when done, `burned` or `released` when given up.
    public var state: TransferState
    /// The leaf index of the destination's test signature, when one was made.
    public var testSignatureIndex: UInt32?
    /// The remark recorded with the transfer: the export's note, or why it burned or was released.
    public var note: String?

    init(_ transfer: KeyLedgerState.Transfer) {
        self.transfer = transfer.id
        plan = transfer.plan
        source = transfer.source
        destination = transfer.destination
        range = transfer.range
        state = transfer.state
        testSignatureIndex = transfer.testSignatureIndex
        note = transfer.note
    }
}
