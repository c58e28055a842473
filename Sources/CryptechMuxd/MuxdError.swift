/// Why the muxd could not start or serve.
public enum MuxdError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A bad option or environment value.
    case configuration(String)
    /// A socket path is taken by something that is not a stale socket of ours.
    case socketInUse(path: String, reason: String)
    /// Binding, chmod or chown of a socket failed.
    case socket(path: String, reason: String)
    /// Probing found no port of the wanted kind.
    case probe(String)

    /// One line for stderr before the daemon exits; paths come first so the operator sees which.
    public var description: String {
        switch self {
        case .configuration(let text): text
        case .socketInUse(let path, let reason): "\(path): \(reason)"
        case .socket(let path, let reason): "\(path): \(reason)"
        case .probe(let text): "probe: \(text)"
        }
    }
}
