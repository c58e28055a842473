import EtcdClient
import EtcdTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension EtcdClusterTests {
    @Suite("A paused lock holder")
    struct PausedHolder {
        @Test("A holder process paused (SIGSTOP) past its lease loses the lock: its fence fails after SIGCONT, the next holder's passes")
        func pausedPastLease() async throws {
            try await EtcdTestCluster.with { cluster in
                let client = try cluster.client()
                // The holder is etcdctl's lock: a real process keeping its lease alive until paused.
                let holder = try LockHolderProcess(
                    endpoints: cluster.endpoints, name: "/fence/paused", ttlSeconds: EtcdTestCluster.minimumLeaseSeconds
                )
                defer { holder.end() }
                let held = try #require(try await client.get(holder.key))
                let fence = EtcdCompare(key: held.key, .createRevision(held.createRevision))
                #expect(try await client.txn(EtcdTransaction(if: [fence], then: [.put("/fence/p", [1])])).succeeded)

                holder.pause()
                // Queued behind the holder, this returns once the paused holder's lease expired.
                let lease = try await client.grantLease(ttlSeconds: 120)
                let next = try await client.lock("/fence/paused", lease: lease.id, waitingUpTo: .seconds(120))
                holder.resume()

                #expect(next.revision > held.createRevision)
                #expect(!(try await client.txn(EtcdTransaction(if: [fence], then: [.put("/fence/p", [2])]))).succeeded)
                #expect(try await client.txn(EtcdTransaction(if: [next.fence], then: [.put("/fence/p", [3])])).succeeded)
                #expect(try await client.get("/fence/p")?.value == [3])
                await client.shutdown()
            }
        }
    }
}

/// `etcdctl lock NAME --ttl=N`: acquires the lock, prints its key, and holds it (keeping its
/// lease alive) until ended.
final class LockHolderProcess {
    let key: String
    private let process: Process

    init(endpoints: [EtcdEndpoint], name: String, ttlSeconds: Int64) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: try EtcdTestCluster.executable("etcdctl"))
        process.arguments = [
            "--endpoints", endpoints.map { "http://\($0)" }.joined(separator: ","), "lock", name, "--ttl=\(ttlSeconds)",
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // The first line is the key, printed once the lock is held.
        var line: [UInt8] = []
        while true {
            guard let byte = output.fileHandleForReading.readData(ofLength: 1).first, byte != UInt8(ascii: "\n") else { break }
            line.append(byte)
        }
        key = String(decoding: line, as: UTF8.self)
        guard key.hasPrefix(name + "/") else {
            process.terminate()
            throw EtcdTestClusterError(message: "etcdctl lock printed no key: \(key)")
        }
    }

    func pause() { kill(process.processIdentifier, SIGSTOP) }
    func resume() { kill(process.processIdentifier, SIGCONT) }

    func end() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
