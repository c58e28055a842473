extension LMS {
    /// An LMS signature: `u32str(q) ‖ LM-OTS signature ‖ u32str(lms type) ‖ path[0] ‖ … ‖ path[h-1]`
    /// (RFC 8554 §5.4).
    public struct Signature: Hashable, Sendable {
        /// q, the index of the leaf (one-time key) that signed.
        public let leafIndex: UInt32
        /// The one-time signature by leaf q.
        public let lmotsSignature: LMOTS.Signature
        /// The tree's parameter set.
        public let lmsType: LMSType
        /// The authentication path, h nodes of m bytes, from the leaf's sibling upwards.
        public let path: [UInt8]

        /// Makes a signature from its parts.
        /// - Throws: ``HashSigError/leafIndexOutOfRange(q:leafCount:)`` if q ≥ 2^h,
        ///   ``HashSigError/invalidLength(_:expected:actual:)`` if the path is not h·m bytes.
        public init(leafIndex: UInt32, lmotsSignature: LMOTS.Signature, lmsType: LMSType,
                    path: [UInt8]) throws(HashSigError) {
            guard leafIndex < lmsType.leafCount else {
                throw .leafIndexOutOfRange(q: leafIndex, leafCount: lmsType.leafCount)
            }
            try checkLength(path, lmsType.m * lmsType.height, .lmsSignature)
            self.leafIndex = leafIndex
            self.lmotsSignature = lmotsSignature
            self.lmsType = lmsType
            self.path = path
        }

        /// Parses the exact encoding of one LMS signature; every length follows from the type
        /// codes inside it (RFC 8554 §5.4.2 Algorithm 6a).
        /// - Throws: ``HashSigError`` for an unknown type, a wrong length, trailing bytes or
        ///   q ≥ 2^h.
        public init(bytes: [UInt8]) throws(HashSigError) {
            var reader = ByteReader(bytes, field: .lmsSignature)
            guard case .parsed(let signature) = try Self.parse(&reader, expecting: nil, level: 0) else {
                preconditionFailure("no expected types, so no mismatch")
            }
            try reader.finish()
            self = signature
        }

        init(unchecked leafIndex: UInt32, _ lmotsSignature: LMOTS.Signature, _ lmsType: LMSType, _ path: [UInt8]) {
            self.leafIndex = leafIndex
            self.lmotsSignature = lmotsSignature
            self.lmsType = lmsType
            self.path = path
        }

        enum ParseOutcome {
            case parsed(Signature)
            case mismatch(InvalidSignatureReason)
        }

        /// Parses one LMS signature in the order of RFC 8554 §5.4.2 Algorithm 6a: when `key` is
        /// given, a known type that differs from the key's is reported as a mismatch before the
        /// lengths that depend on it are checked (step 2c for the LM-OTS type, then the LMS type).
        static func parse(_ reader: inout ByteReader, expecting key: PublicKey?,
                          level: Int) throws(HashSigError) -> ParseOutcome {
            let q = try reader.readUInt32()
            let lmotsType = try LMOTSType(code: reader.readUInt32())
            if let key, lmotsType != key.lmotsType {
                return .mismatch(.lmotsTypeMismatch(level: level, expected: key.lmotsType, found: lmotsType))
            }
            let lmots = try LMOTS.Signature(type: lmotsType, reading: &reader)
            let lmsType = try LMSType(code: reader.readUInt32())
            if let key, lmsType != key.lmsType {
                return .mismatch(.lmsTypeMismatch(level: level, expected: key.lmsType, found: lmsType))
            }
            let path = try reader.readBytes(lmsType.m * lmsType.height, field: .lmsSignature)
            guard q < lmsType.leafCount else {
                throw .leafIndexOutOfRange(q: q, leafCount: lmsType.leafCount)
            }
            return .parsed(Signature(unchecked: q, lmots, lmsType, path))
        }

        /// path[i], the i-th node of the authentication path.
        public func pathNode(_ i: Int) -> ArraySlice<UInt8> {
            path[(i * lmsType.m)..<((i + 1) * lmsType.m)]
        }

        /// Encoded length.
        public var length: Int { lmsType.signatureLength(lmotsType: lmotsSignature.type) }

        /// The RFC 8554 encoding.
        public var bytes: [UInt8] {
            var out: [UInt8] = []
            out.reserveCapacity(length)
            append(to: &out)
            return out
        }

        func append(to out: inout [UInt8]) {
            out.appendUInt32(leafIndex)
            lmotsSignature.append(to: &out)
            out.appendUInt32(lmsType.rawValue)
            out.append(contentsOf: path)
        }
    }
}
