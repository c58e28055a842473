extension DER {
    /// PKCS#8 `EncryptedPrivateKeyInfo ::= SEQUENCE { encryptionAlgorithm AlgorithmIdentifier,
    /// encryptedData OCTET STRING }` (RFC 5208 §6): both results of PKEY_EXPORT (docs/wire-protocol.md §9.2).
    public struct EncryptedPrivateKeyInfo: Hashable, Sendable {
        /// How `encryptedData` was encrypted: `id-aes256-wrap-pad` (RFC 5649) for the key,
        /// `rsaEncryption` (PKCS#1 v1.5) for the KEK; neither with a parameters field
        /// (docs/wire-protocol.md §9.2).
        public var algorithm: AlgorithmIdentifier
        /// The encrypted bytes: the wrapped PrivateKeyInfo, or the wrapped KEK.
        public var encryptedData: [UInt8]

        /// A structure holding `encryptedData`, encrypted as `algorithm` says.
        public init(algorithm: AlgorithmIdentifier, encryptedData: [UInt8]) {
            self.algorithm = algorithm
            self.encryptedData = encryptedData
        }

        /// Parses exactly one EncryptedPrivateKeyInfo.
        /// - Throws: ``DERError`` if `der` is anything else or has trailing bytes.
        public init(der: [UInt8]) throws(DERError) {
            var reader = DER.Reader(der)
            (algorithm, encryptedData) = try reader.readSequence { (fields) throws(DERError) in
                (try AlgorithmIdentifier(from: &fields), try fields.readOctetString())
            }
            try reader.finish()
        }

        /// The DER encoding.
        public var der: [UInt8] {
            DER.sequence { fields in
                algorithm.append(to: &fields)
                fields.appendOctetString(encryptedData)
            }
        }
    }
}
