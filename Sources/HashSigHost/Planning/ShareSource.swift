import HalRPC

/// The top-level state of the board a plan takes leaves from: its range `[qStart, qEnd)` and
/// its next unused leaf `q`, from the board's SX1 range attributes or from the ledger.
public struct ShareSource: Hashable, Sendable, Codable {
    /// The board that holds the leaves.
    public var board: BoardName
    /// `[qStart, qEnd)`: the leaves the board holds, used ones included.
    public var range: LeafRange
    /// `q`: the board's next unused leaf.
    public var next: UInt32

    /// - Throws: ``ShareModelError/invalidRange(start:end:)`` when `next` is outside
    ///   `[qStart, qEnd]`.
    public init(board: BoardName, range: LeafRange, next: UInt32) throws(ShareModelError) {
        guard range.start <= next, next <= range.end else {
            throw .invalidRange(start: UInt64(next), end: UInt64(range.end))
        }
        self.board = board
        self.range = range
        self.next = next
    }

    /// Leaves already used: `q - qStart`.
    public var used: UInt32 { next - range.start }
    /// Leaves left: `qEnd - q`.
    public var remaining: UInt32 { range.end - next }
    /// The unused leaves `[q, qEnd)`.
    public var unused: LeafRange { LeafRange(next..<range.end) }
}
