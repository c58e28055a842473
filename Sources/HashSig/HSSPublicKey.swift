extension HSS {
    /// An HSS public key: `u32str(L) ‖ the top tree's LMS public key` (RFC 8554 §6.1), 60 bytes
    /// with SHA-256.
    public struct PublicKey: Hashable, Sendable {
        /// Encoded length with the SHA-256 parameter sets.
        public static let length = 60

        /// L, the number of levels (1...8).
        public let levels: Int
        /// The public key of the top (level 0) tree.
        public let topPublicKey: LMS.PublicKey

        /// Makes an HSS public key.
        /// - Throws: ``HashSigError/levelCountOutOfRange(_:)`` unless 1 ≤ L ≤ 8.
        public init(levels: Int, topPublicKey: LMS.PublicKey) throws(HashSigError) {
            guard HSS.levelRange.contains(levels) else {
                throw .levelCountOutOfRange(UInt32(clamping: levels))
            }
            self.levels = levels
            self.topPublicKey = topPublicKey
        }

        /// Parses the exact 60-byte encoding.
        /// - Throws: ``HashSigError`` for L outside 1...8, an unknown type, a wrong length or
        ///   trailing bytes.
        public init(bytes: [UInt8]) throws(HashSigError) {
            var reader = ByteReader(bytes, field: .hssPublicKey)
            let levels = try reader.readUInt32()
            guard levels >= 1, levels <= 8 else { throw .levelCountOutOfRange(levels) }
            self.levels = Int(levels)
            self.topPublicKey = try LMS.PublicKey(reading: &reader)
            try reader.finish()
        }

        /// The RFC 8554 encoding.
        public var bytes: [UInt8] {
            var out: [UInt8] = []
            out.reserveCapacity(Self.length)
            out.appendUInt32(UInt32(levels))
            topPublicKey.append(to: &out)
            return out
        }
    }
}
