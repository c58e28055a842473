/// Where a hashsig private key stands in its top-level tree on this board, from the SX1
/// range attributes (design.md, "Share-export extension"): the next unused leaf and the
/// range `[start, end)` the board holds.
public struct HashsigLeafRange: Hashable, Sendable {
    /// The next one-time key `q` the top-level tree will use.
    public var next: UInt32
    /// The first leaf of this board's share.
    public var start: UInt32
    /// One past the last leaf of this board's share.
    public var end: UInt32

    public init(next: UInt32, start: UInt32, end: UInt32) {
        self.next = next
        self.start = start
        self.end = end
    }

    /// Leaves still unused.
    public var remaining: UInt32 { end > next ? end - next : 0 }
}

extension PKey {
    /// The key's top-level leaf range, read from the SX1 attributes (read twice: the host
    /// records and plans by it, see ``PKey/confirmedAttributes(_:)``).
    /// - Returns: `nil` when the board does not report them (firmware without SX1, or not a
    ///   hashsig private key).
    /// - Throws: ``HSMClientError``; `.unexpectedReply` when a value is not 4 bytes long.
    public func hashsigLeafRange() async throws -> HashsigLeafRange? {
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
        return HashsigLeafRange(next: words[0], start: words[1], end: words[2])
    }
}
