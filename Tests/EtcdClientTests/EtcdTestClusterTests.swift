import EtcdClient
import EtcdTestSupport
import Foundation
import Testing

extension EtcdClusterTests {
    @Suite("The test cluster itself")
    struct Cluster {
        struct Planned: Error {}

        actor Seen {
            var pids: [Int32] = []
            var directory = ""
            func record(_ pids: [Int32], _ directory: String) {
                self.pids = pids
                self.directory = directory
            }
        }

        @Test("A body that throws still leaves no member process and no directory behind")
        func teardownAfterFailure() async throws {
            let seen = Seen()
            await #expect(throws: Planned.self) {
                try await EtcdTestCluster.with { cluster in
                    var pids: [Int32] = []
                    for member in 0..<3 { pids.append(try #require(await cluster.processIdentifier(member))) }
                    await cluster.pause(1)
                    await seen.record(pids, cluster.directory)
                    throw Planned()
                }
            }
            let pids = await seen.pids
            #expect(pids.count == 3)
            for pid in pids {
                #expect(kill(pid, 0) == -1 && errno == ESRCH, "etcd \(pid) still there")
            }
            #expect(!FileManager.default.fileExists(atPath: await seen.directory))
        }
    }
}
