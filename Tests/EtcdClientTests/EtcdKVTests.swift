import EtcdClient
import EtcdTestSupport
import Testing

extension EtcdClusterTests {
    @Suite("Keys and values")
    struct KV {
        @Test("A put is read back by a client of another member, with its revisions")
        func putGet() async throws {
            try await withClusterClient { cluster, client in
                #expect(try await client.get("/t/missing") == nil)
                let revision = try await client.put("/t/a", [UInt8](text: "one"))
                let other = try cluster.client(members: [2])
                let read = try await other.get("/t/a")
                await other.shutdown()
                #expect(read?.value == [UInt8](text: "one"))
                #expect(read?.keyString == "/t/a")
                #expect(read?.createRevision == revision)
                #expect(read?.modRevision == revision)
                #expect(read?.version == 1)
                let second = try await client.put("/t/a", [0, 0xff, 10])
                let changed = try #require(try await client.get("/t/a"))
                #expect(changed.value == [0, 0xff, 10])
                #expect(changed.createRevision == revision)
                #expect(changed.modRevision == second)
                #expect(changed.version == 2)
                #expect(try await client.delete("/t/a") == 1)
                #expect(try await client.get("/t/a") == nil)
            }
        }

        @Test("A prefix read returns exactly the keys under the prefix, in order, and honours a limit")
        func prefix() async throws {
            try await withClusterClient { _, client in
                for key in ["/p/a/2", "/p/a/1", "/p/a0", "/p/b", "/p/a/3"] {
                    try await client.put(key, [UInt8](text: key))
                }
                let all = try await client.get(prefix: "/p/a/")
                #expect(all.keyValues.map(\.keyString) == ["/p/a/1", "/p/a/2", "/p/a/3"])
                #expect(all.count == 3)
                #expect(!all.more)
                let page = try await client.get(prefix: "/p/a/", limit: 2)
                #expect(page.keyValues.map(\.keyString) == ["/p/a/1", "/p/a/2"])
                #expect(page.count == 3)
                #expect(page.more)
            }
        }

        @Test("A reply over the configured bound is a typed error, not an allocation")
        func replyBound() async throws {
            try await EtcdTestCluster.with { cluster in
                let writer = try cluster.client()
                try await writer.put("/big", [UInt8](repeating: 0x41, count: 4096))
                await writer.shutdown()
                let bounded = try EtcdClient(
                    configuration: EtcdConfiguration(endpoints: cluster.endpoints, maximumResponseBytes: 1024)
                )
                await #expect(throws: EtcdError.replyTooLarge(endpoint: cluster.endpoints[0], limit: 1024)) {
                    _ = try await bounded.get("/big")
                }
                await bounded.shutdown()
            }
        }
    }
}
