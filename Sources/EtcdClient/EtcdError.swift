/// What an etcd call can fail with. Every case that involves members names them.
public enum EtcdError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Why one member did not serve a request.
    public enum EndpointFailure: Sendable, Equatable, CustomStringConvertible {
        /// No connection (refused, unreachable, TLS handshake failed).
        case unreachable(String)
        /// Connected, but no reply within the request's deadline (no quorum, a paused member).
        case timedOut(Duration)
        /// The member answered that it cannot serve now (gRPC UNAVAILABLE: no leader, leader
        /// changed, its own proposal timed out).
        case unavailable(String)

        /// One line naming what the member did.
        public var description: String {
            switch self {
            case .unreachable(let reason): "unreachable (\(reason))"
            case .timedOut(let deadline): "no answer within \(deadline)"
            case .unavailable(let message): "unavailable (\(message))"
            }
        }
    }

    /// No member served the request: all down, or too few up for a quorum. Lists every member
    /// tried, in order, with why.
    case noQuorum(tried: [EtcdEndpoint], failures: [EndpointFailure])
    /// A member refused the request itself (gRPC status `code`); asking another would not help.
    case refused(endpoint: EtcdEndpoint, code: Int, message: String)
    /// The lease is gone: expired, revoked, or never granted.
    case leaseNotFound(lease: Int64)
    /// The lock was not acquired within the wait given to ``EtcdClient/lock(_:lease:waitingUpTo:)``.
    case lockNotAcquired(name: String, endpoint: EtcdEndpoint, waited: Duration)
    /// A reply that does not parse as the gateway's JSON.
    case malformedReply(endpoint: EtcdEndpoint, reason: String)
    /// A reply body over ``EtcdConfiguration/maximumResponseBytes``.
    case replyTooLarge(endpoint: EtcdEndpoint, limit: Int)
    /// The user and password were not accepted.
    case authenticationFailed(endpoint: EtcdEndpoint, message: String)
    /// A TLS file that cannot be read or parsed.
    case tlsConfiguration(file: String, reason: String)
    /// An `etcd://` location that cannot be used.
    case invalidLocation(String, reason: String)
    /// The calling task was cancelled before a member answered.
    case cancelled
    /// A configuration without members.
    case noEndpoints

    /// One line naming the members, lease, lock or file involved, for the operator.
    public var description: String {
        switch self {
        case .noQuorum(let tried, let failures):
            let each = zip(tried, failures).map { "\($0): \($1)" }.joined(separator: "; ")
            return "etcd: no quorum, no member served the request (\(each))"
        case .refused(let endpoint, let code, let message):
            return "etcd \(endpoint) refused the request (code \(code)): \(message)"
        case .leaseNotFound(let lease):
            return "etcd lease \(lease) is gone (expired or revoked)"
        case .lockNotAcquired(let name, let endpoint, let waited):
            return "etcd lock \(name) not acquired from \(endpoint) within \(waited)"
        case .malformedReply(let endpoint, let reason):
            return "etcd \(endpoint) sent a malformed reply: \(reason)"
        case .replyTooLarge(let endpoint, let limit):
            return "etcd \(endpoint) sent a reply over \(limit) bytes"
        case .authenticationFailed(let endpoint, let message):
            return "etcd \(endpoint) did not accept the user and password: \(message)"
        case .tlsConfiguration(let file, let reason):
            return "etcd TLS file \(file): \(reason)"
        case .invalidLocation(let text, let reason):
            return "not an etcd location: \(text): \(reason)"
        case .cancelled:
            return "etcd request cancelled"
        case .noEndpoints:
            return "etcd: no endpoints configured"
        }
    }
}

/// gRPC status codes etcd answers with (grpc/codes); the gateway puts them in `code`.
enum GRPCStatusCode {
    static let invalidArgument = 3
    static let deadlineExceeded = 4
    static let notFound = 5
    static let unavailable = 14
    static let unauthenticated = 16
}
