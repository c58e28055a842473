/// One etcd member's client address. IPv6 literals are kept without brackets and get them back
/// in ``description`` and URLs.
public struct EtcdEndpoint: Sendable, Hashable, CustomStringConvertible {
    public let host: String
    public let port: Int

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
