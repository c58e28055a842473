extension DER {
    /// PKCS#8 `PrivateKeyInfo ::= SEQUENCE { version INTEGER (0), privateKeyAlgorithm
    /// AlgorithmIdentifier, privateKey OCTET STRING, attributes [0] IMPLICIT Attributes OPTIONAL }`
    /// (RFC 5208 §5): how the board stores every private key and what PKEY_LOAD and the §9
    /// backup wrapping carry.
    ///
    /// The contents are secret; this type does not zeroise them, callers holding long-lived
    /// copies should.
    public struct PrivateKeyInfo: Hashable, Sendable {
        /// The key's algorithm (RSA, EC with its curve, or hashsig), which says how to read
        /// `privateKey`.
        public var algorithm: AlgorithmIdentifier
        /// The privateKey OCTET STRING's contents (an RSAPrivateKey, ECPrivateKey or the hashsig
        /// record of docs/wire-protocol.md §8.6).
        public var privateKey: [UInt8]

        /// A structure holding `privateKey` of the given algorithm.
        public init(algorithm: AlgorithmIdentifier, privateKey: [UInt8]) {
            self.algorithm = algorithm
            self.privateKey = privateKey
        }

        /// Parses exactly one PrivateKeyInfo. Version must be 0; `attributes`, if present, are
        /// skipped (nothing the board stores uses them).
        /// - Throws: ``DERError`` if `der` is anything else or has trailing bytes.
        public init(der: [UInt8]) throws(DERError) {
            var reader = DER.Reader(der)
            (algorithm, privateKey) = try reader.readSequence { (fields) throws(DERError) in
                guard try fields.readInteger() == 0 else {
                    throw .unexpectedValue("PrivateKeyInfo version is not 0")
                }
                let algorithm = try AlgorithmIdentifier(from: &fields)
                let privateKey = try fields.readOctetString()
                if fields.nextTag == DER.Tag.contextConstructed0 { _ = try fields.readElement() }
                return (algorithm, privateKey)
            }
            try reader.finish()
        }

        /// The DER encoding (version 0, no attributes).
        public var der: [UInt8] {
            DER.sequence { fields in
                fields.appendInteger(0)
                algorithm.append(to: &fields)
                fields.appendOctetString(privateKey)
            }
        }
    }
}
