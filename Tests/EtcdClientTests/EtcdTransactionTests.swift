import EtcdClient
import EtcdTestSupport
import Testing

extension EtcdClusterTests {
    @Suite("Transactions")
    struct Transactions {
        @Test("Two writers, each with its own client and member, race to move one head: exactly one wins every round")
        func casRace() async throws {
            try await EtcdTestCluster.with { cluster in
                let writers = [try cluster.client(members: [0, 1, 2]), try cluster.client(members: [1, 2, 0])]
                try await writers[0].put("/race/head", [UInt8](text: "start"))
                for round in 0..<60 {
                    // Both read the head, then both try to move it from what they read.
                    let seen = try #require(try await writers[0].get("/race/head"))
                    let winners = try await withThrowingTaskGroup(of: (Int, Bool).self) { group in
                        for (index, writer) in writers.enumerated() {
                            group.addTask {
                                let result = try await writer.txn(
                                    EtcdTransaction(
                                        if: [EtcdCompare("/race/head", .modRevision(seen.modRevision))],
                                        then: [.put("/race/head", [UInt8](text: "\(round)-\(index)"))],
                                        else: [.get("/race/head")]
                                    )
                                )
                                return (index, result.succeeded)
                            }
                        }
                        var winners: [Int] = []
                        for try await (index, succeeded) in group where succeeded { winners.append(index) }
                        return winners
                    }
                    #expect(winners.count == 1, "round \(round): winners \(winners)")
                    let head = try #require(try await writers[1].get("/race/head"))
                    #expect(head.value == [UInt8](text: "\(round)-\(winners.first ?? -1)"))
                    #expect(head.version == Int64(round) + 2)
                }
                for writer in writers { await writer.shutdown() }
            }
        }

        @Test("A failed compare runs the failure branch and returns its reads; create-if-absent tests create revision 0")
        func branches() async throws {
            try await withClusterClient { _, client in
                let create = EtcdTransaction(
                    if: [EtcdCompare("/txn/k", .createRevision(0))],
                    then: [.put("/txn/k", [1])],
                    else: [.get("/txn/k")]
                )
                let first = try await client.txn(create)
                #expect(first.succeeded)
                #expect(first.replies == [.put])
                let second = try await client.txn(create)
                #expect(!second.succeeded)
                guard case .range(let range) = try #require(second.replies.first) else {
                    Issue.record("expected a range reply, got \(second.replies)")
                    return
                }
                #expect(range.keyValues.map(\.value) == [[1]])
                #expect(second.revision == first.revision)
                let byValue = try await client.txn(
                    EtcdTransaction(if: [EtcdCompare("/txn/k", .value([1]))], then: [.delete("/txn/k")])
                )
                #expect(byValue.succeeded)
                #expect(byValue.replies == [.delete(deleted: 1)])
            }
        }
    }
}
