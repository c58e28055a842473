extension LMOTS {
    /// An LM-OTS signature: `u32str(type) ‖ C ‖ y[0] ‖ … ‖ y[p-1]` (RFC 8554 §4.5).
    public struct Signature: Hashable, Sendable {
        /// The LM-OTS parameter set.
        public let type: LMOTSType
        /// C, the n-byte randomizer hashed with the message.
        public let randomizer: [UInt8]
        /// y[0] ‖ … ‖ y[p-1]: the p chain values, n bytes each, concatenated.
        public let chainValues: [UInt8]

        /// Makes a signature from its parts.
        /// - Throws: ``HashSigError/invalidLength(_:expected:actual:)`` if C is not n bytes or the
        ///   chain values are not p·n bytes.
        public init(type: LMOTSType, randomizer: [UInt8], chainValues: [UInt8]) throws(HashSigError) {
            try checkLength(randomizer, type.n, .randomizer)
            try checkLength(chainValues, type.n * type.p, .lmotsSignature)
            self.type = type
            self.randomizer = randomizer
            self.chainValues = chainValues
        }

        /// Parses the exact encoding of one LM-OTS signature.
        /// - Throws: ``HashSigError`` for an unknown type, a short input or trailing bytes.
        public init(bytes: [UInt8]) throws(HashSigError) {
            var reader = ByteReader(bytes, field: .lmotsSignature)
            try self.init(type: LMOTSType(code: reader.readUInt32()), reading: &reader)
            try reader.finish()
        }

        /// Parses the rest of a signature whose type code has been read already.
        init(type: LMOTSType, reading reader: inout ByteReader) throws(HashSigError) {
            // RFC 8554 §4.6 Algorithm 4b: the length must be exactly 4 + n(p + 1).
            try reader.require(type.signatureLength - 4, field: .lmotsSignature)
            self.type = type
            self.randomizer = try reader.readBytes(type.n)
            self.chainValues = try reader.readBytes(type.n * type.p)
        }

        /// y[i], the i-th chain value.
        public func chainValue(_ i: Int) -> ArraySlice<UInt8> {
            chainValues[(i * type.n)..<((i + 1) * type.n)]
        }

        /// The RFC 8554 encoding.
        public var bytes: [UInt8] {
            var out: [UInt8] = []
            out.reserveCapacity(type.signatureLength)
            append(to: &out)
            return out
        }

        func append(to out: inout [UInt8]) {
            out.appendUInt32(type.rawValue)
            out.append(contentsOf: randomizer)
            out.append(contentsOf: chainValues)
        }
    }
}
