import EtcdClient
import Testing

@Suite("etcd:// locations")
struct EtcdLocationTests {
    @Test("Members, default port, IPv6 and the key prefix are read from the location")
    func parses() throws {
        let location = try EtcdLocation(parsing: "etcd://host1:2379,10.0.0.2,[::1]:12379/cryptech/prod/")
        #expect(location.endpoints == [
            EtcdEndpoint(host: "host1", port: 2379),
            EtcdEndpoint(host: "10.0.0.2", port: 2379),
            EtcdEndpoint(host: "::1", port: 12379),
        ])
        #expect(location.keyPrefix == "/cryptech/prod")
        #expect(location.endpoints.map(\.description) == ["host1:2379", "10.0.0.2:2379", "[::1]:12379"])
        #expect(EtcdLocation.isLocation("etcd://a/b"))
        #expect(!EtcdLocation.isLocation("/var/lib/cryptech/ledger.jsonl"))
    }

    @Test(
        "A location that cannot be used is a typed error saying why",
        arguments: [
            ("ledger.jsonl", "it does not start with etcd://"),
            ("etcd:///cryptech", "an endpoint has no host"),
            ("etcd://host1:2379", "no key prefix"),
            ("etcd://host1:2379/", "no key prefix"),
            ("etcd://host1:0/p", "the port must be 1-65535"),
            ("etcd://host1:65536/p", "the port must be 1-65535"),
            ("etcd://host1:x/p", "the port must be 1-65535"),
            ("etcd://host1,,host2/p", "an endpoint has no host"),
            ("etcd://host1,host1:2379/p", "an endpoint is listed twice"),
            ("etcd://root:secret@host1/p", "credentials are not taken in the location"),
            ("etcd://host1/p?x=1", "a query or fragment is not allowed"),
            ("etcd://::1:2379/p", "write IPv6 addresses in brackets"),
            ("etcd://[::1/p", "unclosed ["),
            ("etcd://host 1/p", "is not a host name or address"),
            ("etcd://host1/a//b", "the key prefix has an empty segment"),
        ]
    )
    func refuses(text: String, reason: String) {
        #expect {
            try EtcdLocation(parsing: text)
        } throws: { error in
            guard case .invalidLocation(let refused, let why) = error as? EtcdError else { return false }
            return refused == text && why.contains(reason)
        }
    }
}
