/// Where one transfer stands at the end of an export run.
public struct TransferOutcome: Hashable, Sendable, Codable {
    public var transfer: String
    public var plan: String
    public var source: BoardName
    public var destination: BoardName
    public var range: LeafRange
    public var state: TransferState
    public var testSignatureIndex: UInt32?
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
