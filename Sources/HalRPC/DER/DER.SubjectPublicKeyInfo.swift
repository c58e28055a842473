extension DER {
    /// `SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT
    /// STRING }` (RFC 5280 §4.1.2.7): what PKEY_GET_PUBLIC_KEY returns and PKEY_LOAD accepts.
    public struct SubjectPublicKeyInfo: Hashable, Sendable {
        /// The key's algorithm (RSA, EC with its curve, or hashsig), which says how to read
        /// `publicKey`.
        public var algorithm: AlgorithmIdentifier
        /// The BIT STRING's bytes (whole bytes only).
        public var publicKey: [UInt8]

        /// A structure holding `publicKey` of the given algorithm.
        public init(algorithm: AlgorithmIdentifier, publicKey: [UInt8]) {
            self.algorithm = algorithm
            self.publicKey = publicKey
        }

        /// Parses exactly one SubjectPublicKeyInfo.
        /// - Throws: ``DERError`` if `der` is anything else or has trailing bytes.
        public init(der: [UInt8]) throws(DERError) {
            var reader = DER.Reader(der)
            (algorithm, publicKey) = try reader.readSequence { (fields) throws(DERError) in
                (try AlgorithmIdentifier(from: &fields), try fields.readBitString())
            }
            try reader.finish()
        }

        /// The DER encoding.
        public var der: [UInt8] {
            DER.sequence { fields in
                algorithm.append(to: &fields)
                fields.appendBitString(publicKey)
            }
        }
    }
}
