/// How to reach a cluster: its members, TLS, credentials, and the limits every request keeps.
public struct EtcdConfiguration: Sendable {
    /// PEM files for TLS to the members (`--cert-file`/`--client-cert-auth` on their side).
    public struct TLS: Sendable, Hashable {
        /// The CA the members' certificates are checked against.
        public var caFile: String
        /// A client certificate and its key, for members that require one.
        public var certificateFile: String?
        /// The PEM private key of ``certificateFile``, given with it.
        public var keyFile: String?

        /// - Parameters:
        ///   - caFile: PEM file of the CA that signs the members' certificates.
        ///   - certificateFile: PEM client certificate, for members started with `--client-cert-auth`.
        ///   - keyFile: PEM private key of `certificateFile`.
        public init(caFile: String, certificateFile: String? = nil, keyFile: String? = nil) {
            self.caFile = caFile
            self.certificateFile = certificateFile
            self.keyFile = keyFile
        }
    }

    /// An etcd user (`etcdctl user add`); the client trades it for a token
    /// (`/v3/auth/authenticate`) and sends the token with each request.
    public struct Credentials: Sendable, Hashable, CustomStringConvertible {
        /// The etcd user name; it appears in messages.
        public var user: String
        /// The user's password: sent only to `/v3/auth/authenticate`, never printed or logged.
        public var password: String

        /// - Parameters:
        ///   - user: the etcd user name.
        ///   - password: its password (from a file or the environment, never a command line).
        public init(user: String, password: String) {
            self.user = user
            self.password = password
        }

        /// Never the password.
        public var description: String { "user \(user)" }
    }

    /// The members to ask, in order; the client starts with the first and then prefers the last
    /// one that answered.
    public var endpoints: [EtcdEndpoint]
    /// TLS files, or nil for plain HTTP (a cluster on one trusted host only).
    public var tls: TLS?
    /// The user to authenticate as, or nil for a cluster without authentication.
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

    /// - Parameters:
    ///   - endpoints: the members, in the order to try them.
    ///   - tls: TLS files, or nil for plain HTTP.
    ///   - credentials: the user, or nil when the cluster has no authentication.
    ///   - requestTimeout: the deadline of one request to one member.
    ///   - maximumResponseBytes: the largest reply body accepted.
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
