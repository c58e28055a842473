import ArgumentParser
import HalRPC

/// `--user normal|so|wheel`.
extension User: ExpressibleByArgument {
    public init?(argument: String) {
        switch argument.lowercased() {
        case "normal", "user": self = .normal
        case "so", "security-officer": self = .securityOfficer
        case "wheel": self = .wheel
        default: return nil
        }
    }

    public static var allValueStrings: [String] { ["normal", "so", "wheel"] }
    public var defaultValueDescription: String { description }
}
