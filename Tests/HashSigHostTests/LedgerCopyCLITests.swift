import CryptechExitStatus
import EtcdClient
import EtcdTestSupport
import Foundation
import Testing
@testable import HashSigHost

/// `cryptech share ledger copy` as a built binary, between ledger files and a real
/// three-member etcd cluster on loopback (one cluster per test, one test at a time).
@Suite("cryptech share ledger copy (built binary, real etcd)", .serialized,
       .enabled(if: try BuiltExecutables.present(CryptechCLI.executable), "build cryptech first"),
       .enabled(if: try EtcdTestCluster.etcdInstalled()))
struct LedgerCopyCLITests {
    @Test("file -> etcd -> file gives the very same file, and the wrapped share of the unfinished transfer")
    func roundTrip() async throws {
        let fixture = try await LedgerFixture()
        defer { fixture.cleanup() }
        // 60 transfers A -> B0…B59 to verified and T61 left exported with its share stored:
        // 304 records, three etcd transactions of at most 127.
        for index in 0..<60 {
            let top = UInt32(1024 - 8 * index)
            try await fixture.transfer("T\(index + 1)", to: "B\(index)", leaves(top - 8, top), upTo: .verified)
        }
        let share = WrappedShare(pkcs8: Array(repeating: 0x30, count: 200), kek: Array(repeating: 0x4B, count: 40))
        try await fixture.transfer("T61", to: "C", leaves(536, 544), upTo: .exported, digest: share.digest)
        try await FileShareBlobStore(ledgerPath: fixture.path).store(share, key: fixture.key, transfer: "T61")
        let head = try await fixture.reopen().head
        #expect(head.records == 304)

        try await EtcdTestCluster.with { cluster in
            let etcd = Self.location(cluster, "/site")
            let there = try CryptechCLI.run(["share", "ledger", "copy", "--from", fixture.path, "--to", etcd])
            #expect(there.status == 0, "\(there.output)")
            #expect(there.output == """
                copied 304 records from \(fixture.path) to \(etcd) in 3 appends
                copied the wrapped shares of unfinished transfers: T61 (\(fixture.key.shortDescription))
                source head:      \(head)
                destination head: \(head) (read back and checked)

                """)
            let back = fixture.directory.file("back.jsonl")
            let home = try CryptechCLI.run(["share", "ledger", "copy", "--from", etcd, "--to", back])
            #expect(home.status == 0, "\(home.output)")
            #expect(home.output.hasPrefix("copied 304 records from \(etcd) to \(back) in 1 append\n"))
            #expect(try Data(contentsOf: URL(fileURLWithPath: back)) == Data(try fixture.bytes()))
            #expect(try await FileShareBlobStore(ledgerPath: back).load(key: fixture.key, transfer: "T61") == share)
        }
    }

    @Test("a destination that already holds a ledger is refused (unusable input) and left as it was")
    func nonEmptyDestination() async throws {
        let first = try await LedgerFixture()
        defer { first.cleanup() }
        let second = try await LedgerFixture()
        defer { second.cleanup() }
        try await second.transfer("T1", to: "B", leaves(768, 1024), upTo: .verified)

        try await EtcdTestCluster.with { cluster in
            let etcd = Self.location(cluster, "/prod")
            #expect(try CryptechCLI.run(["share", "ledger", "copy", "--from", first.path, "--to", etcd]).status == 0)
            let refused = try CryptechCLI.run(["share", "ledger", "copy", "--from", second.path, "--to", etcd])
            #expect(refused.status == ExitStatus.badInput.rawValue)
            #expect(refused.output == "cryptech share: \(etcd): already holds 1 record; a ledger is copied only into an empty store, "
                + "never merged or overwritten (nothing was written)\n")
            let back = first.directory.file("back.jsonl")
            #expect(try CryptechCLI.run(["share", "ledger", "copy", "--from", etcd, "--to", back]).status == 0)
            #expect(try Data(contentsOf: URL(fileURLWithPath: back)) == Data(try first.bytes()))
        }

        let before = try second.bytes()
        let intoFile = try CryptechCLI.run(["share", "ledger", "copy", "--from", first.path, "--to", second.path])
        #expect(intoFile.status == ExitStatus.badInput.rawValue)
        #expect(intoFile.output.contains("\(second.path): already holds 6 records"))
        #expect(try second.bytes() == before)
    }

    @Test("a damaged source is refused with the chain error and nothing is written")
    func damagedSource() async throws {
        let fixture = try await LedgerFixture()
        defer { fixture.cleanup() }
        try await fixture.transfer("T1", to: "B", leaves(768, 1024), upTo: .verified)
        // Line 2 (T1 planned) edited: still a well-formed record, but line 3 no longer carries its digest.
        var lines = try fixture.bytes().split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        #expect(lines[1].contains("768"))
        lines[1] = lines[1].replacingOccurrences(of: "768", with: "769")
        try fixture.write(Array(lines.joined(separator: "\n").utf8))
        let damaged = try fixture.bytes()

        try await EtcdTestCluster.with { cluster in
            let etcd = Self.location(cluster, "/prod")
            let refused = try CryptechCLI.run(["share", "ledger", "copy", "--from", fixture.path, "--to", etcd])
            #expect(refused.status == ExitStatus.badInput.rawValue)
            #expect(refused.output == "cryptech share: \(fixture.path): line 3 does not carry the SHA-256 of line 2: the ledger was edited or damaged\n")
            let client = try cluster.client()
            let stored = try await client.get(prefix: "/")
            await client.shutdown()
            #expect(stored.keyValues.map(\.keyString).filter { !$0.hasPrefix("/etcd-test-cluster") } == [])
        }
        let file = fixture.directory.file("copy.jsonl")
        let toFile = try CryptechCLI.run(["share", "ledger", "copy", "--from", fixture.path, "--to", file])
        #expect(toFile.status == ExitStatus.badInput.rawValue)
        #expect(!FileManager.default.fileExists(atPath: file))
        #expect(try fixture.bytes() == damaged)

        // A source that does not exist reads as empty: nothing to copy, not an empty copy.
        let missing = try CryptechCLI.run(["share", "ledger", "copy", "--from", fixture.directory.file("typo.jsonl"), "--to", file])
        #expect(missing.status == ExitStatus.badInput.rawValue)
        #expect(missing.output.contains("holds no records"))
        #expect(!FileManager.default.fileExists(atPath: file))
    }

    /// `etcd://` and the cluster's members, then `prefix`.
    static func location(_ cluster: EtcdTestCluster, _ prefix: String) -> String {
        EtcdLocation.scheme + cluster.endpoints.map(\.description).joined(separator: ",") + prefix
    }
}
