extension HSS {
    /// The signing state of an HSS key: the next unused leaf index q at every level, and the top
    /// tree's leaf range.
    ///
    /// Small and explicit so that a signer can persist it *before* releasing each signature: a
    /// key restored from the last persisted state never issues a leaf index it issued before.
    /// Encoding (big-endian): `u32 L ‖ u32 qStart ‖ u32 qEnd ‖ u32 q[0] ‖ … ‖ u32 q[L-1]`.
    public struct SigningState: Hashable, Sendable {
        /// q of the next unused leaf at each level, top first.
        public var nextLeafIndices: [UInt32]
        /// The top tree's range [qStart, qEnd).
        public var topLeafRange: Range<UInt32>

        /// - Parameters:
        ///   - nextLeafIndices: q of the next unused leaf at each level, top first.
        ///   - topLeafRange: the top tree's leaf range [qStart, qEnd).
        public init(nextLeafIndices: [UInt32], topLeafRange: Range<UInt32>) {
            self.nextLeafIndices = nextLeafIndices
            self.topLeafRange = topLeafRange
        }

        /// q of the top tree's next unused leaf.
        public var topLeafIndex: UInt32 { nextLeafIndices[0] }

        /// Parses the encoding.
        /// - Throws: ``HashSigError`` for a wrong length, L outside 1...8, or a top index
        ///   outside its range.
        public init(bytes: [UInt8]) throws(HashSigError) {
            var reader = ByteReader(bytes, field: .signingState)
            let levels = try reader.readUInt32()
            guard levels >= 1, levels <= 8 else { throw .levelCountOutOfRange(levels) }
            let start = try reader.readUInt32()
            let end = try reader.readUInt32()
            var indices: [UInt32] = []
            for _ in 0..<levels { indices.append(try reader.readUInt32()) }
            try reader.finish()
            guard start <= end, indices[0] >= start, indices[0] <= end else {
                throw .invalidLeafRange(start: start, end: end, next: indices[0])
            }
            self.init(nextLeafIndices: indices, topLeafRange: start..<end)
        }

        /// The encoding.
        public var bytes: [UInt8] {
            var out: [UInt8] = []
            out.appendUInt32(UInt32(nextLeafIndices.count))
            out.appendUInt32(topLeafRange.lowerBound)
            out.appendUInt32(topLeafRange.upperBound)
            for index in nextLeafIndices { out.appendUInt32(index) }
            return out
        }
    }
}
