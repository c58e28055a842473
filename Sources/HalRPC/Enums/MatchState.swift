/// Where a PKEY_MATCH search stands (docs/wire-protocol.md §4.3): the client sends back the state
/// the previous page returned.
public struct MatchState: XDRWord, CustomStringConvertible {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Start a new search (`previous` is ignored).
    public static let start = MatchState(rawValue: 0)
    /// Scanning the token (flash) keystore.
    public static let token = MatchState(rawValue: 1)
    /// Scanning the volatile keystore.
    public static let volatile = MatchState(rawValue: 2)
    /// Both keystores searched.
    public static let done = MatchState(rawValue: 3)

    public var description: String {
        switch self {
        case .start: "start"
        case .token: "token"
        case .volatile: "volatile"
        case .done: "done"
        default: "match state \(rawValue)"
        }
    }
}
