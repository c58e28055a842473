extension Curve {
    /// The named curve's OBJECT IDENTIFIER as SubjectPublicKeyInfo and PKCS#8 carry it in the
    /// id-ecPublicKey parameters (RFC 5480 §2.1.1.1); `nil` for `none` and unknown codes.
    public var objectIdentifier: DER.OID? {
        switch self {
        case .p256: .prime256v1
        case .p384: .secp384r1
        case .p521: .secp521r1
        default: nil
        }
    }

    /// The curve a named-curve OID stands for; `nil` for curves the board does not support.
    public init?(objectIdentifier: DER.OID) {
        switch objectIdentifier {
        case .prime256v1: self = .p256
        case .secp384r1: self = .p384
        case .secp521r1: self = .p521
        default: return nil
        }
    }
}
