/// Where a hashsig private key stands in its top-level tree on this board, from the SX1
/// range attributes (design.md, "Share-export extension"): the next unused leaf and the
/// range the board holds.
public struct HashsigRangeAttributes: Hashable, Sendable {
    /// The next one-time key `q` the top-level tree will use.
    public var next: UInt32
    /// This board's share of the top tree.
    public var range: LeafRange

    public init(next: UInt32, range: LeafRange) {
        self.next = next
        self.range = range
    }

    /// Leaves still unused.
    public var remaining: UInt32 { range.end > next ? range.end - next : 0 }
}

extension PKey {
    /// The key's next index and top-level leaf range, read from the SX1 attributes (read
    /// twice: the host records and plans by them, see ``PKey/confirmedAttributes(_:)``).
    /// - Returns: `nil` when the board does not report them (firmware without SX1, or not a
    ///   hashsig private key).
    /// - Throws: ``HSMClientError``; `.unexpectedReply` when a value is not 4 bytes long or
    ///   the range ends below its start.
    public func hashsigRangeAttributes() async throws -> HashsigRangeAttributes? {
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
        return HashsigRangeAttributes(next: words[0], range: range)
    }
}
