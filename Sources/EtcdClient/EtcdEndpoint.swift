/// One etcd member's client address. IPv6 literals are kept without brackets and get them back
/// in ``description`` and URLs.
public struct EtcdEndpoint: Sendable, Hashable, CustomStringConvertible {
    /// A host name or IP address; an IPv6 literal without its brackets.
    public let host: String
    /// The member's client port (2379 unless configured otherwise).
    public let port: Int

    /// - Parameters:
    ///   - host: a host name or address (IPv6 without brackets).
    ///   - port: the client port.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// `host:port`, `[v6]:port`: what error messages name.
    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    func url(tls: Bool, path: String) -> String {
        "\(tls ? "https" : "http")://\(description)\(path)"
    }
}
