#if canImport(Glibc)
import Glibc
#endif

/// Where the optional metrics HTTP endpoint listens: an IP address on this host's loopback
/// (127.0.0.0/8 or ::1) and a port. Anything else is refused: an HSM host must not publish its
/// state to the network by a typo; a scraper on another host reads the textfile through
/// node_exporter instead.
public struct LoopbackAddress: Sendable, Hashable, CustomStringConvertible {
    /// The address as written, without IPv6 brackets: a literal in 127.0.0.0/8 or `::1`, never a
    /// name (names are not resolved, so `/etc/hosts` cannot point it off the host).
    public let host: String
    /// The TCP port; 0 asks the listener for a free one, and ``with(port:)`` gives the address
    /// with the port it picked.
    public private(set) var port: Int

    /// Why a `--metrics-listen` value was refused.
    public enum ParseError: Error, Hashable, Sendable, CustomStringConvertible {
        /// The text is not `ADDRESS:PORT` or `[ADDRESS]:PORT`; it carries the whole text.
        case malformed(String)
        /// The address is not a loopback literal; it carries the address, so the message says which.
        case notLoopback(String)
        /// The port is not a number from 0 to 65535; it carries the port text.
        case badPort(String)

        /// One line for the operator: what was refused and what would be taken instead.
        public var description: String {
            switch self {
            case .malformed(let text): "'\(text)' is not ADDRESS:PORT (e.g. 127.0.0.1:9187 or [::1]:9187)"
            case .notLoopback(let host): "\(host) is not a loopback address (127.0.0.0/8 or ::1); the metrics endpoint listens on loopback only"
            case .badPort(let text): "'\(text)' is not a port from 0 to 65535"
            }
        }
    }

    /// Parses `127.0.0.1:9187` or `[::1]:9187`; port 0 picks a free port.
    public init(parsing text: String) throws(ParseError) {
        let host: Substring
        let port: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[close...].hasPrefix("]:") else { throw .malformed(text) }
            host = text[text.index(after: text.startIndex)..<close]
            port = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else { throw .malformed(text) }
            host = text[..<colon]
            port = text[text.index(after: colon)...]
        }
        guard let number = Int(port), (0...65535).contains(number) else { throw .badPort(String(port)) }
        guard Self.isLoopback(String(host)) else { throw .notLoopback(String(host)) }
        self.host = String(host)
        self.port = number
    }

    /// The same host with another port (the one chosen for port 0, say).
    public func with(port: Int) -> LoopbackAddress {
        var copy = self
        copy.port = port
        return copy
    }

    /// `host:port`, or `[host]:port` for IPv6: the form `--metrics-listen` takes, so a printed
    /// address can be pasted back.
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// A literal IPv4 address in 127.0.0.0/8 or the IPv6 loopback (names are not resolved:
    /// `localhost` could be anything /etc/hosts says).
    static func isLoopback(_ host: String) -> Bool {
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 { return UInt32(bigEndian: v4.s_addr) >> 24 == 127 }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, host, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { $0.elementsEqual([UInt8](repeating: 0, count: 15) + [1]) }
        }
        return false
    }
}
