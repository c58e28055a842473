/// How to reach a cluster: its members, TLS, credentials, and the limits every request keeps.
public struct EtcdConfiguration: Sendable {
    /// PEM files for TLS to the members (`--cert-file`/`--client-cert-auth` on their side).
    public struct TLS: Sendable, Hashable {
        /// The CA the members' certificates are checked against.
        public var caFile: String
        /// A client certificate and its key, for members that require one.
        public var certificateFile: String?
        public var keyFile: String?

        public init(caFile: String, certificateFile: String? = nil, keyFile: String? = nil) {
            self.caFile = caFile
            self.certificateFile = certificateFile
            self.keyFile = keyFile
        }
    }

    /// An etcd user (`etcdctl user add`); the client trades it for a token
    /// (`/v3/auth/authenticate`) and sends the token with each request.
    public struct Credentials: Sendable, Hashable, CustomStringConvertible {
        public var user: String
        public var password: String

        public init(user: String, password: String) {
            self.user = user
            self.password = password
        }

        /// Never the password.
        public var description: String { "user \(user)" }
    }

    public var endpoints: [EtcdEndpoint]
    public var tls: TLS?
    public var credentials: Credentials?
    /// The deadline of one request to one member. A member that does not answer by then counts
    /// as down and the next is asked; with no quorum every member fails this way, so a call
    /// gives up after at most `endpoints.count × requestTimeout`.
    public var requestTimeout: Duration
    /// The largest reply body read from a member; more is an error, never an allocation.
    public var maximumResponseBytes: Int

    /// 5 s: etcd itself gives up on a proposal after about 7 s (its request timeout plus two
    /// election timeouts), so a healthy cluster answers far within it.
    public static let defaultRequestTimeout: Duration = .seconds(5)
    /// 8 MiB: a page of ledger events with room to spare.
    public static let defaultMaximumResponseBytes = 8 << 20

    public init(
        endpoints: [EtcdEndpoint],
        tls: TLS? = nil,
        credentials: Credentials? = nil,
        requestTimeout: Duration = defaultRequestTimeout,
        maximumResponseBytes: Int = defaultMaximumResponseBytes
    ) {
        self.endpoints = endpoints
        self.tls = tls
        self.credentials = credentials
        self.requestTimeout = requestTimeout
        self.maximumResponseBytes = maximumResponseBytes
    }
}
