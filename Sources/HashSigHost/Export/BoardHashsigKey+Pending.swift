import HalRPC

/// What a source board says about SX1's two-phase export (design.md, "Share-export extension"):
/// whether it keeps an exported share pending until the host confirms the blob is stored, and
/// which share it holds so now.
public enum PendingShare: Hashable, Sendable {
    /// The board does not keep exports pending (stock firmware): once it has shrunk its range,
    /// a lost export reply burns the share.
    case notKept
    /// Nothing is pending.
    case none
    /// This share is pending: asked again with the same KEKEK and count, the board wraps it again.
    case share(LeafRange)

    /// Whether a lost export reply costs the share.
    public var lostReplyBurns: Bool { self == .notKept }
}

extension BoardHashsigKey {
    /// The board's pending share (attribute `0x43540004`), read twice like the leaf range.
    /// - Throws: `HSMClientError`; `.unexpectedReply` for a value that is not 8 bytes or an
    ///   impossible range.
    public func pendingShare() async throws -> PendingShare {
        guard let value = try await key.confirmedAttributes([.hashsigPendingShare])[.hashsigPendingShare] else { return .notKept }
        guard value.count == 8 else {
            throw HSMClientError.unexpectedReply(function: .pkeyGetAttributes, reason: "pending share attribute is \(value.count) bytes, not 8")
        }
        let start = value[0..<4].reduce(0) { $0 << 8 | UInt32($1) }
        let end = value[4..<8].reduce(0) { $0 << 8 | UInt32($1) }
        guard start != end else { return .none }
        guard start < end else {
            throw HSMClientError.unexpectedReply(function: .pkeyGetAttributes, reason: "pending share [\(start), \(end)) is impossible")
        }
        return .share(LeafRange(start..<end))
    }

    /// Tells the board the wrapped blob of its pending share `range` is stored, so it forgets
    /// the share. Idempotent on the board (nothing pending: nothing changes), so a confirmation
    /// whose reply was lost may be sent again.
    /// - Throws: `HSMClientError`.
    public func confirmPendingShare(_ range: LeafRange) async throws {
        func word(_ value: UInt32) -> [UInt8] { [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)] }
        try await key.updateAttributes([.set(.hashsigPendingShare, word(range.start) + word(range.end))])
    }
}
