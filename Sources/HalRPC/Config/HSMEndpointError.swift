/// An endpoint configuration that cannot be used.
public enum HSMEndpointError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A muxd socket and a serial device (or speed) were both given.
    case conflictingOptions
    /// The speed is not a positive number.
    case badSpeed(String)

    public var description: String {
        switch self {
        case .conflictingOptions: "give either a muxd socket or a serial device, not both"
        case .badSpeed(let text): "bad serial speed '\(text)'"
        }
    }
}
