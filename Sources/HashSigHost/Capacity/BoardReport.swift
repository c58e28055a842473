import HalRPC

/// What a board says about its share of a key when it is reached: its next unused top-level
/// leaf, and its range when it knows SX1 (design.md, "Range attributes").
public struct BoardReport: Hashable, Sendable, Codable {
    /// The board's next unused top-level leaf: every leaf below it is spent and must never be
    /// handed to anyone again.
    public var next: UInt32
    /// The board's range from SX1 range attributes; `nil` for firmware that cannot report it.
    public var range: LeafRange?

    /// - Parameters:
    ///   - next: the board's next unused top-level leaf.
    ///   - range: its range, when it reports one.
    public init(next: UInt32, range: LeafRange?) {
        self.next = next
        self.range = range
    }
}
