/// A minimal, strict DER (ITU-T X.690 §10) codec for the few ASN.1 structures the Alpha uses:
/// SubjectPublicKeyInfo, PKCS#8 PrivateKeyInfo and EncryptedPrivateKeyInfo, AlgorithmIdentifiers,
/// DigestInfo and the hashsig key records (docs/wire-protocol.md §7, §8.2, §8.6, §9).
///
/// One codec for both sides: the software Alpha writes these structures and the host reads what
/// a board returns (style.md, "one codec used by client and mock").
///
/// Strict means: single-byte tags, definite lengths in their shortest form, INTEGERs in their
/// shortest form, BIT STRINGs with no unused bits, no bytes after the outermost element. Every
/// length is checked against the bytes actually present before anything is read, so hostile
/// input throws a ``DERError`` and never traps.
public enum DER {
    /// The universal tags this codec reads and writes (X.690 §8; X.680 §8.4 Table 1).
    public enum Tag {
        /// INTEGER.
        public static let integer: UInt8 = 0x02
        /// BIT STRING (primitive form only).
        public static let bitString: UInt8 = 0x03
        /// OCTET STRING (primitive form only).
        public static let octetString: UInt8 = 0x04
        /// NULL.
        public static let null: UInt8 = 0x05
        /// OBJECT IDENTIFIER.
        public static let objectIdentifier: UInt8 = 0x06
        /// SEQUENCE / SEQUENCE OF (always constructed).
        public static let sequence: UInt8 = 0x30
        /// `[0]` constructed, context-specific: PKCS#8 `attributes` (RFC 5208 §5).
        public static let contextConstructed0: UInt8 = 0xA0
    }

    /// The longest length field accepted: four length octets (contents up to 4 GiB), far more
    /// than any structure here needs; a longer field is refused before it is interpreted.
    static let maximumLengthOctets = 4
}
