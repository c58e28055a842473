extension DER {
    /// An OBJECT IDENTIFIER, kept as its DER content octets (X.690 §8.19) so that comparing two
    /// is a byte comparison and no arc arithmetic is needed on the hot path.
    public struct OID: Hashable, Sendable, CustomStringConvertible {
        /// The content octets, without tag and length: `2A 86 48 86 F7 0D 01 01 01` for
        /// rsaEncryption.
        public let contentBytes: [UInt8]

        /// An OID from its content octets.
        /// - Parameter contentBytes: the encoded subidentifiers.
        /// - Throws: ``DERError/invalidObjectIdentifier(offset:)`` if they are empty, end in an
        ///   unfinished subidentifier or pad one with a leading `0x80` (X.690 §8.19.2).
        public init(contentBytes: [UInt8]) throws(DERError) {
            guard Self.isValid(contentBytes[...]) else { throw .invalidObjectIdentifier(offset: 0) }
            self.contentBytes = contentBytes
        }

        /// For the constants below, whose bytes are known good.
        init(uncheckedContentBytes bytes: [UInt8]) {
            contentBytes = bytes
        }

        /// Whether `bytes` are well-formed subidentifiers.
        static func isValid(_ bytes: ArraySlice<UInt8>) -> Bool {
            guard let last = bytes.last, last & 0x80 == 0 else { return false }
            var startsSubidentifier = true
            for byte in bytes {
                // A subidentifier's first octet may not be 0x80: that would be a padding zero.
                if startsSubidentifier && byte == 0x80 { return false }
                startsSubidentifier = byte & 0x80 == 0
            }
            return true
        }

        /// Dotted decimal, `1.2.840.113549.1.1.1`; arcs too large for 64 bits are shown as `?`.
        public var description: String {
            var arcs: [String] = []
            var value: UInt64 = 0
            var overflow = false
            for byte in contentBytes {
                if value > UInt64.max >> 7 { overflow = true }
                value = value << 7 | UInt64(byte & 0x7F)
                guard byte & 0x80 == 0 else { continue }
                if overflow {
                    arcs.append(arcs.isEmpty ? "?.?" : "?")
                } else if arcs.isEmpty {
                    // X.690 §8.19.4: the first subidentifier packs the first two arcs.
                    let first = min(value / 40, 2)
                    arcs.append("\(first).\(value - first * 40)")
                } else {
                    arcs.append(String(value))
                }
                value = 0
                overflow = false
            }
            return arcs.joined(separator: ".")
        }
    }
}

extension DER.OID {
    /// rsaEncryption, 1.2.840.113549.1.1.1 (RFC 8017 Appendix C).
    public static let rsaEncryption = DER.OID(uncheckedContentBytes: [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01])
    /// id-ecPublicKey, 1.2.840.10045.2.1 (RFC 5480 §2.1.1).
    public static let ecPublicKey = DER.OID(uncheckedContentBytes: [0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01])
    /// prime256v1 / secp256r1 (P-256), 1.2.840.10045.3.1.7 (RFC 5480 §2.1.1.1).
    public static let prime256v1 = DER.OID(uncheckedContentBytes: [0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07])
    /// secp384r1 (P-384), 1.3.132.0.34 (RFC 5480 §2.1.1.1).
    public static let secp384r1 = DER.OID(uncheckedContentBytes: [0x2B, 0x81, 0x04, 0x00, 0x22])
    /// secp521r1 (P-521), 1.3.132.0.35 (RFC 5480 §2.1.1.1).
    public static let secp521r1 = DER.OID(uncheckedContentBytes: [0x2B, 0x81, 0x04, 0x00, 0x23])
    /// id-alg-mts-hashsig, 1.2.840.113549.1.9.16.3.17 (RFC 8708 §3; docs/wire-protocol.md §8.2).
    public static let mtsHashSig = DER.OID(uncheckedContentBytes: [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x10, 0x03, 0x11])
    /// id-aes256-wrap-pad, 2.16.840.1.101.3.4.1.48 (RFC 5649 §5; docs/wire-protocol.md §9.2).
    public static let aes256WrapPad = DER.OID(uncheckedContentBytes: [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x30])
    /// id-sha1, 1.3.14.3.2.26 (RFC 3279 §2.2.1).
    public static let sha1 = DER.OID(uncheckedContentBytes: [0x2B, 0x0E, 0x03, 0x02, 0x1A])
    /// id-sha256, 2.16.840.1.101.3.4.2.1 (RFC 5754 §2).
    public static let sha256 = nistHash(1)
    /// id-sha384, 2.16.840.1.101.3.4.2.2.
    public static let sha384 = nistHash(2)
    /// id-sha512, 2.16.840.1.101.3.4.2.3.
    public static let sha512 = nistHash(3)
    /// id-sha224, 2.16.840.1.101.3.4.2.4.
    public static let sha224 = nistHash(4)
    /// id-sha512-224, 2.16.840.1.101.3.4.2.5.
    public static let sha512_224 = nistHash(5)
    /// id-sha512-256, 2.16.840.1.101.3.4.2.6.
    public static let sha512_256 = nistHash(6)

    /// The NIST hash algorithm arc 2.16.840.1.101.3.4.2.`last`.
    private static func nistHash(_ last: UInt8) -> DER.OID {
        DER.OID(uncheckedContentBytes: [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, last])
    }
}
