/// What a board says about its share of a key when it is reached: its next unused top-level
/// leaf, and its range when it knows SX1 (design.md, "Range attributes").
public struct BoardReport: Hashable, Sendable, Codable {
    public var next: UInt32
    public var range: LeafRange?

    public init(next: UInt32, range: LeafRange?) {
        self.next = next
        self.range = range
    }
}
