extension HSS {
    /// How an export divides the top tree's remaining leaves [q, qEnd) between the key that
    /// stays (``kept``) and the exported share (``share``).
    ///
    /// Pure arithmetic: apply it with ``LMS/PrivateKey/narrowLeafRange(toEnd:)`` on the source's
    /// top tree (and persist that) before the share leaves the board.
    public struct LeafRangeSplit: Hashable, Sendable {
        /// The source keeps [q, mid).
        public let kept: Range<UInt32>
        /// The share gets [mid, qEnd).
        public let share: Range<UInt32>

        /// The reference firmware's bisection (docs/wire-protocol.md §8.7): mid = floor((q + qEnd) / 2).
        /// - Throws: ``HashSigError/keyExhausted`` when fewer than 2 leaves are left (mid = q).
        public static func bisecting(next q: UInt32, end: UInt32) throws(HashSigError) -> LeafRangeSplit {
            guard q <= end else { throw .invalidLeafRange(start: q, end: end, next: q) }
            let mid = UInt32((UInt64(q) + UInt64(end)) / 2)
            guard mid > q else { throw .keyExhausted }
            return LeafRangeSplit(kept: q..<mid, share: mid..<end)
        }

        /// The share-export extension SX1 (design.md): the share is the top `count` leaves,
        /// [qEnd - count, qEnd); the source keeps the rest, possibly nothing.
        /// SX1's `shareCount = 0` means "bisect": map it to ``bisecting(next:end:)``; here a count
        /// of 0 is refused, as it would export an empty share.
        /// - Throws: ``HashSigError/keyExhausted`` when `count` exceeds the leaves left,
        ///   ``HashSigError/invalidLeafRange(start:end:next:)`` for a count of 0.
        public static func topLeaves(_ count: UInt32, next q: UInt32,
                                     end: UInt32) throws(HashSigError) -> LeafRangeSplit {
            guard q <= end, count > 0 else { throw .invalidLeafRange(start: q, end: end, next: q) }
            guard count <= end - q else { throw .keyExhausted }
            return LeafRangeSplit(kept: q..<(end - count), share: (end - count)..<end)
        }
    }
}
