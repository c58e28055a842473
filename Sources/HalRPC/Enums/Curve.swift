/// An elliptic curve (`hal_curve_name_t`, docs/wire-protocol.md §5.2); `none` for non-EC keys.
public struct Curve: XDRWord, CustomStringConvertible {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `HAL_CURVE_NONE`; as a PKEY_MATCH filter, any curve.
    public static let none = Curve(rawValue: 0)
    /// `HAL_CURVE_P256`.
    public static let p256 = Curve(rawValue: 1)
    /// `HAL_CURVE_P384`.
    public static let p384 = Curve(rawValue: 2)
    /// `HAL_CURVE_P521`.
    public static let p521 = Curve(rawValue: 3)

    public var description: String {
        switch self {
        case .none: "none"
        case .p256: "P-256"
        case .p384: "P-384"
        case .p521: "P-521"
        default: "curve \(rawValue)"
        }
    }
}
