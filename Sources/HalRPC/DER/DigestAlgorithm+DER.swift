extension DigestAlgorithm {
    /// The algorithm's OBJECT IDENTIFIER; `nil` for `none` and unknown codes.
    public var objectIdentifier: DER.OID? {
        switch self {
        case .sha1: .sha1
        case .sha224: .sha224
        case .sha256: .sha256
        case .sha512_224: .sha512_224
        case .sha512_256: .sha512_256
        case .sha384: .sha384
        case .sha512: .sha512
        default: nil
        }
    }

    /// The AlgorithmIdentifier as the board returns it from HASH_GET_DIGEST_ALGORITHM_ID and
    /// puts in a DigestInfo: always with explicit NULL parameters (docs/wire-protocol.md §7), e.g.
    /// `30 0D 06 09 60 86 48 01 65 03 04 02 01 05 00` for SHA-256. `nil` for `none` and unknown
    /// codes.
    public var algorithmIdentifier: DER.AlgorithmIdentifier? {
        objectIdentifier.map { DER.AlgorithmIdentifier($0, parameters: .null) }
    }

    /// A PKCS#1 `DigestInfo ::= SEQUENCE { digestAlgorithm AlgorithmIdentifier, digest OCTET
    /// STRING }` (RFC 8017 §9.2 step 2): what the board signs with an RSA key when PKEY_SIGN gets
    /// a hash handle (docs/wire-protocol.md §7: `30 <len> <AlgorithmIdentifier> 04 <n> <digest>`).
    /// - Parameter digest: the digest, exactly ``digestLength`` bytes.
    /// - Throws: ``DERError/unexpectedValue(_:)`` for an unknown algorithm or a digest of the
    ///   wrong length.
    public func digestInfo(digest: [UInt8]) throws(DERError) -> [UInt8] {
        guard let algorithmIdentifier, let digestLength else {
            throw .unexpectedValue("no DigestInfo for \(self)")
        }
        guard digest.count == digestLength else {
            throw .unexpectedValue("\(self) digest is \(digest.count) bytes, expected \(digestLength)")
        }
        return DER.sequence { fields in
            algorithmIdentifier.append(to: &fields)
            fields.appendOctetString(digest)
        }
    }
}
