/// A key's type (`hal_key_type_t`, docs/wire-protocol.md §5.2). Unknown codes are kept as sent.
public struct KeyType: XDRWord, CustomStringConvertible {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `HAL_KEY_TYPE_NONE`; as a PKEY_MATCH filter, any type.
    public static let none = KeyType(rawValue: 0)
    /// `HAL_KEY_TYPE_RSA_PRIVATE`.
    public static let rsaPrivate = KeyType(rawValue: 1)
    /// `HAL_KEY_TYPE_RSA_PUBLIC`.
    public static let rsaPublic = KeyType(rawValue: 2)
    /// `HAL_KEY_TYPE_EC_PRIVATE`.
    public static let ecPrivate = KeyType(rawValue: 3)
    /// `HAL_KEY_TYPE_EC_PUBLIC`.
    public static let ecPublic = KeyType(rawValue: 4)
    /// `HAL_KEY_TYPE_HASHSIG_PRIVATE`.
    public static let hashsigPrivate = KeyType(rawValue: 5)
    /// `HAL_KEY_TYPE_HASHSIG_PUBLIC`.
    public static let hashsigPublic = KeyType(rawValue: 6)
    /// `HAL_KEY_TYPE_HASHSIG_LMS`: the firmware's internal tree record (shows up in MATCH).
    public static let hashsigLMS = KeyType(rawValue: 7)
    /// `HAL_KEY_TYPE_HASHSIG_LMOTS`: the firmware's internal one-time-key record.
    public static let hashsigLMOTS = KeyType(rawValue: 8)

    public var description: String {
        switch self {
        case .none: "none"
        case .rsaPrivate: "RSA private"
        case .rsaPublic: "RSA public"
        case .ecPrivate: "EC private"
        case .ecPublic: "EC public"
        case .hashsigPrivate: "hashsig private"
        case .hashsigPublic: "hashsig public"
        case .hashsigLMS: "hashsig LMS record"
        case .hashsigLMOTS: "hashsig LM-OTS record"
        default: "key type \(rawValue)"
        }
    }
}
