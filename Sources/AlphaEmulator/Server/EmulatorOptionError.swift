/// A command-line or configuration value the emulator cannot use.
public enum EmulatorOptionError: Error, Hashable, Sendable, CustomStringConvertible {
    /// `option` has an unusable value; `reason` says why.
    case invalid(_ option: String, _ reason: String)

    /// `option: reason`, the line `cryptech-emulator` prints before it exits.
    public var description: String {
        switch self {
        case let .invalid(option, reason): "\(option): \(reason)"
        }
    }
}
