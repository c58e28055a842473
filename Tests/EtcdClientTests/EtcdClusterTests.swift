import EtcdClient
import EtcdTestSupport
import Testing

/// Every suite that starts real etcd members, one after another: each test has a cluster of
/// its own, and clusters side by side would only starve each other of the machine's cores.
/// Without etcd installed they are skipped, and under CI they fail (tools/bootstrap installs it).
@Suite("etcd against a real cluster", .serialized, .enabled(if: try EtcdTestCluster.etcdInstalled()))
struct EtcdClusterTests {}

/// Runs `body` with a three-member cluster and a client of all members, shut down afterwards.
func withClusterClient<Result: Sendable>(
    requestTimeout: Duration = EtcdConfiguration.defaultRequestTimeout,
    _ body: (EtcdTestCluster, EtcdClient) async throws -> Result
) async throws -> Result {
    try await EtcdTestCluster.with { cluster in
        let client = try cluster.client(requestTimeout: requestTimeout)
        do {
            let result = try await body(cluster, client)
            await client.shutdown()
            return result
        } catch {
            await client.shutdown()
            throw error
        }
    }
}

extension Array where Element == UInt8 {
    init(text: String) { self = Array(text.utf8) }
}
