/// A contiguous range `[start, end)` of top-level leaf indices q (the one-time keys of an HSS
/// key's top tree): what a board holds, what a share gets, what the ledger records.
///
/// One type from the wire to the ledger, in the lowest module that needs it (the SX1 reply
/// and range attributes), so that no layer converts between look-alikes; the wire structs
/// convert only where they encode and decode. Its own type rather than `Range<UInt32>` so
/// that it prints as the firmware and the ledger write it, `[768, 1024)`, and encodes in JSON
/// as `[768, 1024]` (the ledger's format: existing ledgers must keep parsing).
public struct LeafRange: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    /// The first leaf in the range.
    public let start: UInt32
    /// One past the last leaf in the range.
    public let end: UInt32

    /// A range from a peer's two words; `nil` when `end` is below `start` (a damaged reply or
    /// record, never a trap).
    public init?(start: UInt32, end: UInt32) {
        guard start <= end else { return nil }
        self.start = start
        self.end = end
    }

    /// The range of a Swift half-open range.
    public init(_ range: Range<UInt32>) {
        start = range.lowerBound
        end = range.upperBound
    }

    /// The leaves as a Swift range.
    public var range: Range<UInt32> { start..<end }

    /// How many leaves: `end - start`.
    public var count: UInt32 { end - start }

    /// Whether the range holds no leaf (a board that gave all its leaves away).
    public var isEmpty: Bool { start == end }

    /// Whether leaf `q` lies in the range.
    public func contains(_ q: UInt32) -> Bool { start <= q && q < end }

    /// Whether the two ranges share at least one leaf (empty ranges share none).
    public func overlaps(_ other: LeafRange) -> Bool {
        !isEmpty && !other.isEmpty && start < other.end && other.start < end
    }

    /// Whether every leaf of `other` is in this range.
    public func contains(_ other: LeafRange) -> Bool { other.isEmpty || (start <= other.start && other.end <= end) }

    public static func < (a: LeafRange, b: LeafRange) -> Bool {
        (a.start, a.end) < (b.start, b.end)
    }

    public var description: String { "[\(start), \(end))" }

    public init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        let start = try container.decode(UInt32.self)
        let end = try container.decode(UInt32.self)
        guard container.isAtEnd, start <= end else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "a leaf range is [start, end] with start <= end"))
        }
        self.start = start
        self.end = end
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        try container.encode(start)
        try container.encode(end)
    }
}
