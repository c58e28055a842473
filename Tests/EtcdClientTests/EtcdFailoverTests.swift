import EtcdClient
import EtcdTestSupport
import Testing

extension EtcdClusterTests {
    @Suite("Member loss and quorum")
    struct Failover {
        @Test("With the first member stopped mid-run, the client carries on with the others")
        func oneMemberStopped() async throws {
            try await withClusterClient(requestTimeout: .seconds(10)) { cluster, client in
                try await client.put("/f/before", [1])
                await cluster.stop(0)
                try await client.put("/f/after", [2])
                #expect(try await client.get("/f/before")?.value == [1])
                #expect(try await client.get("/f/after")?.value == [2])
                // A fresh client, which starts with the stopped member, passes it over too.
                let fresh = try cluster.client(requestTimeout: .seconds(10))
                #expect(try await fresh.get("/f/after")?.value == [2])
                await fresh.shutdown()
                try await cluster.restart(0)
                let restarted = try cluster.client(members: [0])
                #expect(try await restarted.get("/f/after")?.value == [2])
                await restarted.shutdown()
            }
        }

        @Test("A paused member (SIGSTOP) is passed over after the request deadline")
        func pausedMember() async throws {
            try await withClusterClient(requestTimeout: .seconds(3)) { cluster, client in
                try await client.put("/f/k", [1])
                await cluster.pause(0)
                let other = try cluster.client(requestTimeout: .seconds(3))
                try await other.put("/f/k", [2])
                #expect(try await other.get("/f/k")?.value == [2])
                await other.shutdown()
                await cluster.resume(0)
            }
        }

        @Test("With two of three members stopped, a call fails with one error naming every member")
        func noQuorum() async throws {
            try await withClusterClient(requestTimeout: .seconds(3)) { cluster, client in
                try await client.put("/q/k", [1])
                await cluster.stop(1)
                await cluster.kill(2)
                for attempt in 0..<2 {
                    await #expect {
                        if attempt == 0 { _ = try await client.get("/q/k") } else { try await client.put("/q/k", [2]) }
                    } throws: { error in
                        guard case .noQuorum(let tried, let failures) = error as? EtcdError else { return false }
                        let text = "\(error)"
                        return Set(tried) == Set(cluster.endpoints) && failures.count == 3
                            && cluster.endpoints.allSatisfy { text.contains($0.description) }
                    }
                }
            }
        }
    }
}
