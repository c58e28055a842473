/// Where a ledger lives in etcd: `etcd://host1:2379,host2:2379,[::1]:2379/cryptech/prod`, the
/// form `--ledger` takes. The members are listed by their client URLs' host and port (2379 when
/// left out); the path is the key prefix everything is kept under.
///
/// Credentials never ride in the location (it is on command lines and in logs): a user or
/// password in it is refused, and TLS files and the password come as separate options.
public struct EtcdLocation: Sendable, Hashable {
    /// The members, in the order given: the client starts with the first.
    public let endpoints: [EtcdEndpoint]
    /// The path, with its leading `/` and without a trailing one (`/cryptech/prod`).
    public let keyPrefix: String

    /// The prefix that tells an etcd location from a file path in `--ledger`.
    public static let scheme = "etcd://"
    /// etcd's client port, used for a member written without one.
    public static let defaultPort = 2379

    /// Whether `text` is meant as an etcd location (rather than a file path).
    public static func isLocation(_ text: String) -> Bool { text.hasPrefix(scheme) }

    /// - Throws: ``EtcdError/invalidLocation(_:reason:)`` naming what is wrong.
    public init(parsing text: String) throws(EtcdError) {
        func invalid(_ reason: String) -> EtcdError { .invalidLocation(text, reason: reason) }
        guard text.hasPrefix(Self.scheme) else { throw invalid("it does not start with \(Self.scheme)") }
        let rest = text.dropFirst(Self.scheme.count)
        if rest.contains("?") || rest.contains("#") { throw invalid("a query or fragment is not allowed") }
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = rest[..<slash]
        if authority.contains("@") {
            throw invalid("credentials are not taken in the location; use the user and password options")
        }
        var endpoints: [EtcdEndpoint] = []
        for member in authority.split(separator: ",", omittingEmptySubsequences: false) {
            endpoints.append(try Self.endpoint(member, invalid: invalid))
        }
        guard !endpoints.isEmpty, !authority.isEmpty else { throw invalid("no endpoints") }
        guard Set(endpoints).count == endpoints.count else { throw invalid("an endpoint is listed twice") }
        var path = String(rest[slash...])
        while path.hasSuffix("/") { path.removeLast() }
        guard !path.isEmpty else { throw invalid("no key prefix (add a path, e.g. /cryptech/prod)") }
        if path.contains("//") { throw invalid("the key prefix has an empty segment") }
        self.endpoints = endpoints
        self.keyPrefix = path
    }

    private static func endpoint(_ member: Substring, invalid: (String) -> EtcdError) throws(EtcdError) -> EtcdEndpoint {
        let host: Substring
        let portText: Substring?
        if member.hasPrefix("[") {
            guard let close = member.firstIndex(of: "]") else { throw invalid("unclosed [ in \(member)") }
            host = member[member.index(after: member.startIndex)..<close]
            let after = member[member.index(after: close)...]
            if after.isEmpty {
                portText = nil
            } else if after.hasPrefix(":") {
                portText = after.dropFirst()
            } else {
                throw invalid("junk after ] in \(member)")
            }
        } else {
            let parts = member.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count <= 2 else { throw invalid("\(member): write IPv6 addresses in brackets") }
            host = parts[0]
            portText = parts.count == 2 ? parts[1] : nil
        }
        guard !host.isEmpty else { throw invalid("an endpoint has no host") }
        guard host.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == ":" || $0 == "_" }) else {
            throw invalid("\(host) is not a host name or address")
        }
        var port = defaultPort
        if let portText {
            guard let parsed = Int(portText), (1...65535).contains(parsed) else {
                throw invalid("\(member): the port must be 1-65535")
            }
            port = parsed
        }
        return EtcdEndpoint(host: String(host), port: port)
    }
}
