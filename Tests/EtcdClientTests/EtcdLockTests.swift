import EtcdClient
import EtcdTestSupport
import Testing

extension EtcdClusterTests {
    @Suite("Locks and fencing")
    struct Locks {
        /// Who is inside the critical section, counted apart from etcd.
        actor Occupancy {
            private(set) var inside = 0
            private(set) var overlaps = 0
            private(set) var revisions: [Int64] = []

            func enter(_ revision: Int64) {
                if inside > 0 { overlaps += 1 }
                inside += 1
                revisions.append(revision)
            }

            func leave() { inside -= 1 }
        }

        @Test("Four hosts taking one lock in turn are never inside together, and each writes fenced")
        func exclusion() async throws {
            try await EtcdTestCluster.with { cluster in
                let hosts = try (0..<4).map { try cluster.client(members: [$0 % 3, ($0 + 1) % 3, ($0 + 2) % 3]) }
                let occupancy = Occupancy()
                try await hosts[0].put("/lock/counter", [0])
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for host in hosts {
                        group.addTask {
                            let lease = try await host.grantLease(ttlSeconds: 60)
                            for _ in 0..<5 {
                                let lock = try await host.lock("/lock/export", lease: lease.id, waitingUpTo: .seconds(300))
                                await occupancy.enter(lock.revision)
                                let counter = try #require(try await host.get("/lock/counter"))
                                let next = counter.value[0] + 1
                                let write = try await host.txn(
                                    EtcdTransaction(
                                        if: [lock.fence, EtcdCompare("/lock/counter", .modRevision(counter.modRevision))],
                                        then: [.put("/lock/counter", [next])]
                                    )
                                )
                                #expect(write.succeeded)
                                await occupancy.leave()
                                try await host.unlock(lock)
                            }
                            try await host.revoke(lease.id)
                        }
                    }
                    try await group.waitForAll()
                }
                #expect(await occupancy.overlaps == 0)
                let revisions = await occupancy.revisions
                #expect(revisions.count == 20)
                #expect(revisions == revisions.sorted() && Set(revisions).count == 20, "fencing revisions grow: \(revisions)")
                #expect(try await hosts[0].get("/lock/counter")?.value == [20])
                for host in hosts { await host.shutdown() }
            }
        }

        @Test("A holder whose lease expired (it sent no keep-alive, as if paused) cannot pass its fence; the next holder can")
        func fencingAfterExpiry() async throws {
            try await EtcdTestCluster.with { cluster in
                let stale = try cluster.client()
                let next = try cluster.client(members: [2, 1, 0])
                let staleLease = try await stale.grantLease(ttlSeconds: EtcdTestCluster.minimumLeaseSeconds)
                let staleLock = try await stale.lock("/fence/export", lease: staleLease.id, waitingUpTo: .seconds(60))
                #expect(try await stale.txn(EtcdTransaction(if: [staleLock.fence], then: [.put("/fence/w", [1])])).succeeded)
                // The next host waits in etcd's queue; it gets the lock when the stale lease expires.
                let nextLease = try await next.grantLease(ttlSeconds: 120)
                let nextLock = try await next.lock("/fence/export", lease: nextLease.id, waitingUpTo: .seconds(120))
                #expect(nextLock.revision > staleLock.revision)
                let late = try await stale.txn(
                    EtcdTransaction(if: [staleLock.fence], then: [.put("/fence/w", [2])], else: [.get("/fence/w")])
                )
                #expect(!late.succeeded)
                #expect(try await next.txn(EtcdTransaction(if: [nextLock.fence], then: [.put("/fence/w", [3])])).succeeded)
                #expect(try await stale.get("/fence/w")?.value == [3])
                await stale.shutdown()
                await next.shutdown()
            }
        }

        @Test("A revoked lease fences its lock at once")
        func fencingAfterRevoke() async throws {
            try await withClusterClient { _, client in
                let lease = try await client.grantLease(ttlSeconds: 60)
                let lock = try await client.lock("/fence/revoke", lease: lease.id, waitingUpTo: .seconds(60))
                try await client.revoke(lease.id)
                #expect(!(try await client.txn(EtcdTransaction(if: [lock.fence], then: [.put("/fence/r", [1])]))).succeeded)
                #expect(try await client.get("/fence/r") == nil)
                await #expect(throws: EtcdError.leaseNotFound(lease: lease.id)) {
                    _ = try await client.lock("/fence/revoke", lease: lease.id, waitingUpTo: .seconds(60))
                }
            }
        }

        @Test("A lock that stays held is not acquired within the wait: a typed error naming the lock")
        func lockWaitRunsOut() async throws {
            try await withClusterClient { cluster, client in
                let holder = try await client.grantLease(ttlSeconds: 120)
                _ = try await client.lock("/lock/held", lease: holder.id, waitingUpTo: .seconds(60))
                let waiter = try await client.grantLease(ttlSeconds: 120)
                await #expect {
                    _ = try await client.lock("/lock/held", lease: waiter.id, waitingUpTo: .seconds(2))
                } throws: { error in
                    guard case .lockNotAcquired(let name, let endpoint, _) = error as? EtcdError else { return false }
                    return name == "/lock/held" && cluster.endpoints.contains(endpoint)
                }
            }
        }
    }
}
