extension LMS {
    /// An LMS public key: `u32str(lms type) ‖ u32str(lmots type) ‖ I ‖ T[1]` (RFC 8554 §5.3),
    /// 56 bytes with SHA-256.
    public struct PublicKey: Hashable, Sendable {
        /// Encoded length with the SHA-256 parameter sets.
        public static let length = 56

        /// The tree's parameter set.
        public let lmsType: LMSType
        /// The parameter set of every one-time key in the tree.
        public let lmotsType: LMOTSType
        /// I, the 16-byte key pair identifier.
        public let identifier: [UInt8]
        /// T[1], the 32-byte root of the tree.
        public let root: [UInt8]

        /// Makes a public key from its parts.
        /// - Throws: ``HashSigError/invalidLength(_:expected:actual:)`` if I or T[1] has the
        ///   wrong length.
        public init(lmsType: LMSType, lmotsType: LMOTSType, identifier: [UInt8], root: [UInt8]) throws(HashSigError) {
            try checkLength(identifier, LMOTS.identifierLength, .identifier)
            try checkLength(root, lmsType.m, .root)
            self.lmsType = lmsType
            self.lmotsType = lmotsType
            self.identifier = identifier
            self.root = root
        }

        /// Parses the exact 56-byte encoding.
        /// - Throws: ``HashSigError`` for an unknown type, a wrong length or trailing bytes.
        public init(bytes: [UInt8]) throws(HashSigError) {
            var reader = ByteReader(bytes, field: .lmsPublicKey)
            try self.init(reading: &reader)
            try reader.finish()
        }

        init(reading reader: inout ByteReader) throws(HashSigError) {
            let lmsType = try LMSType(code: reader.readUInt32())
            let lmotsType = try LMOTSType(code: reader.readUInt32())
            try reader.require(LMOTS.identifierLength + lmsType.m, field: .lmsPublicKey)
            self.lmsType = lmsType
            self.lmotsType = lmotsType
            self.identifier = try reader.readBytes(LMOTS.identifierLength)
            self.root = try reader.readBytes(lmsType.m)
        }

        /// The RFC 8554 encoding.
        public var bytes: [UInt8] {
            var out: [UInt8] = []
            out.reserveCapacity(Self.length)
            append(to: &out)
            return out
        }

        func append(to out: inout [UInt8]) {
            out.appendUInt32(lmsType.rawValue)
            out.appendUInt32(lmotsType.rawValue)
            out.append(contentsOf: identifier)
            out.append(contentsOf: root)
        }
    }
}
