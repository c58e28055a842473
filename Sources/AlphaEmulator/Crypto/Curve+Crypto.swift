import HalRPC

extension Curve {
    /// Length in bytes of the group order n, and so of each of r and s in the board's
    /// fixed-length ECDSA signature (docs/wire-protocol.md §4.3 PKEY_SIGN); for these curves it is also the
    /// field element length. `nil` for `none` and unknown codes.
    public var orderLength: Int? {
        switch self {
        case .p256: 32
        case .p384: 48
        case .p521: 66
        default: nil
        }
    }

    /// Length of the board's ECDSA signature `r ‖ s`: 64, 96 or 132 bytes.
    public var signatureLength: Int? {
        orderLength.map { 2 * $0 }
    }

    /// OpenSSL's group name.
    var openSSLGroupName: String? {
        switch self {
        case .p256: "P-256"
        case .p384: "P-384"
        case .p521: "P-521"
        default: nil
        }
    }
}
