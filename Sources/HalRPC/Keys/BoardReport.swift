/// What a board says about its share of a hashsig key when it is reached: its next unused
/// top-level leaf, and its range when it knows SX1 (design.md, "Range attributes"). The SX1
/// attributes give both; without them a probe signature gives the next index alone.
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

extension PKey {
    /// The key's next index and top-level leaf range, read from the SX1 attributes (read
    /// twice: the host records and plans by them, see ``PKey/confirmedAttributes(_:)``).
    /// - Returns: `nil` when the board does not report them (firmware without SX1, or not a
    ///   hashsig private key); else a report whose range is set.
    /// - Throws: ``HSMClientError``; `.unexpectedReply` when a value is not 4 bytes long or
    ///   the range ends below its start.
    public func hashsigRangeAttributes() async throws -> BoardReport? {
        let types: [AttributeType] = [.hashsigNextIndex, .hashsigRangeStart, .hashsigRangeEnd]
        let values = try await confirmedAttributes(types)
        var words: [UInt32] = []
        for type in types {
            guard let value = values[type] else { return nil }
            // design.md SX1: a 4-byte big-endian value.
            guard value.count == 4 else {
                throw HSMClientError.unexpectedReply(function: .pkeyGetAttributes, reason: "attribute \(type) is \(value.count) bytes, not 4")
            }
            words.append(value.reduce(0) { $0 << 8 | UInt32($1) })
        }
        guard let range = LeafRange(start: words[1], end: words[2]) else {
            throw HSMClientError.unexpectedReply(function: .pkeyGetAttributes, reason: "hashsig range [\(words[1]), \(words[2])) ends below its start")
        }
        return BoardReport(next: words[0], range: range)
    }
}
