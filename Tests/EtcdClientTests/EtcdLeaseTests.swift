import EtcdClient
import EtcdTestSupport
import Testing

extension EtcdClusterTests {
    @Suite("Leases")
    struct Leases {
        @Test("A lease left without keep-alives expires, and its keys go with it")
        func expiry() async throws {
            try await withClusterClient { _, client in
                let lease = try await client.grantLease(ttlSeconds: EtcdTestCluster.minimumLeaseSeconds)
                #expect(lease.ttlSeconds >= EtcdTestCluster.minimumLeaseSeconds)
                try await client.put("/lease/k", [1], lease: lease.id)
                #expect(try await client.get("/lease/k")?.lease == lease.id)
                let left = try #require(try await client.timeToLive(lease.id))
                #expect(left > 0 && left <= lease.ttlSeconds)
                try await awaitExpiry(of: lease.id, client: client)
                #expect(try await client.get("/lease/k") == nil)
                #expect(try await client.timeToLive(lease.id) == nil)
                await #expect(throws: EtcdError.leaseNotFound(lease: lease.id)) { try await client.keepAlive(lease.id) }
                await #expect(throws: EtcdError.leaseNotFound(lease: lease.id)) {
                    try await client.put("/lease/k", [2], lease: lease.id)
                }
            }
        }

        @Test("A keep-alive renews a lease to its full TTL; a revoked lease is gone at once, with its keys")
        func keepAliveAndRevoke() async throws {
            try await withClusterClient { _, client in
                let lease = try await client.grantLease(ttlSeconds: 60)
                try await client.put("/lease/kept", [1], lease: lease.id)
                #expect(try await client.keepAlive(lease.id) == 60)
                try await client.revoke(lease.id)
                #expect(try await client.get("/lease/kept") == nil)
                await #expect(throws: EtcdError.leaseNotFound(lease: lease.id)) { try await client.keepAlive(lease.id) }
                await #expect(throws: EtcdError.leaseNotFound(lease: lease.id)) { try await client.revoke(lease.id) }
            }
        }
    }
}

/// Waits, without a timer, until etcd has expired `lease`: a lock taken under it is released
/// only by its expiry, and a second lease's wait for the same lock ends exactly then.
func awaitExpiry(of lease: Int64, client: EtcdClient) async throws {
    let name = "/etcd-test/expiry-of-\(lease)"
    _ = try await client.lock(name, lease: lease, waitingUpTo: .seconds(60))
    let waiter = try await client.grantLease(ttlSeconds: 120)
    let after = try await client.lock(name, lease: waiter.id, waitingUpTo: .seconds(120))
    try await client.revoke(after.lease)
}
