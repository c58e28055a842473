/// A login identity (`hal_user_t`, docs/wire-protocol.md §6).
public struct User: XDRWord, CustomStringConvertible {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `HAL_USER_NONE`: marks an empty login slot; never a valid argument.
    public static let none = User(rawValue: 0)
    /// `HAL_USER_NORMAL`: uses keys.
    public static let normal = User(rawValue: 1)
    /// `HAL_USER_SO`: the security officer; may set the normal user's PIN.
    public static let securityOfficer = User(rawValue: 2)
    /// `HAL_USER_WHEEL`: the administrator; may set every PIN.
    public static let wheel = User(rawValue: 3)

    public var description: String {
        switch self {
        case .none: "none"
        case .normal: "normal"
        case .securityOfficer: "so"
        case .wheel: "wheel"
        default: "user \(rawValue)"
        }
    }
}
