import ArgumentParser
import AlphaEmulator
import CryptechExitStatus
import EtcdTestSupport
import Foundation
import HashSigHost
import Testing

/// Each library's DocC catalogue (`Sources/LIB/LIB.docc/LIB.md`) shows one worked example: a
/// README example (Examples/) or a file under CatalogueExamples/, word for word. This target
/// compiles those files, so an example cannot drift from the API; the first test checks that
/// every catalogue holds its file, the others run the examples the README tests do not.
@Suite("DocC catalogue examples", .serialized)
struct CatalogueExamplesTests {
    /// Every library and the file its catalogue's example is.
    static let examples: [(library: String, file: String)] = [
        ("CryptechTransport", "Examples/1-CryptechTransport.swift"),
        ("HalRPC", "Examples/2-HalRPC.swift"),
        ("HashSig", "Examples/3-HashSig.swift"),
        ("HashSigHost", "Examples/4-HashSigHost.swift"),
        ("AlphaEmulator", "Examples/5-AlphaEmulator.swift"),
        ("CryptechMuxd", "Examples/6-CryptechMuxd.swift"),
        ("EtcdClient", "CatalogueExamples/EtcdClient.swift"),
        ("EtcdLedger", "CatalogueExamples/EtcdLedger.swift"),
        ("CryptechMetrics", "CatalogueExamples/CryptechMetrics.swift"),
        ("DurableFile", "CatalogueExamples/DurableFile.swift"),
        ("CryptechExitStatus", "CatalogueExamples/CryptechExitStatus.swift"),
        ("CryptechECDSA", "CatalogueExamples/CryptechECDSA.swift"),
    ]

    @Test("every library's catalogue holds its example word for word", arguments: examples)
    func catalogueHoldsExample(library: String, file: String) throws {
        let catalogue = ReadmeExamplesTests.root.appendingPathComponent("../../Sources/\(library)/\(library).docc/\(library).md").standardized
        let page = try String(contentsOf: catalogue, encoding: .utf8)
        let example = try String(contentsOf: ReadmeExamplesTests.root.appendingPathComponent(file), encoding: .utf8)
        let blocks = ReadmeExamplesTests.swiftBlocks(of: page)
        #expect(blocks == [example.hasSuffix("\n") ? String(example.dropLast()) : example],
                "Sources/\(library)/\(library).docc/\(library).md should show \(file) as its one swift block")
    }

    @Test("DurableFile: state replaced, a journal line appended, the state read back")
    func durableFile() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let state: [UInt8] = [1, 2, 3]
        #expect(try recordState(state, journalLine: "one", directory: directory + "/d") == state)
        #expect(try recordState([4], journalLine: "two", directory: directory + "/d") == [4])
        #expect(try String(contentsOfFile: directory + "/d/journal", encoding: .utf8) == "one\ntwo\n")
    }

    @Test("CryptechMetrics: the gauge is in the file in Prometheus's text format")
    func metrics() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try writeRemaining(1023, to: directory + "/cryptech.prom")
        let text = try String(contentsOfFile: directory + "/cryptech.prom", encoding: .utf8)
        #expect(text.split(separator: "\n").contains("cryptech_example_signatures_left 1023.0")
                    || text.split(separator: "\n").contains("cryptech_example_signatures_left 1023"), "\(text)")
    }

    @Test("CryptechECDSA: a P-256 signature in the board's r ‖ s form verifies, a changed digest does not")
    func ecdsa() throws {
        let key = try ECPrivateKey.generate(curve: .p256)
        let spki = try key.publicKey().subjectPublicKeyInfo()
        let digest = [UInt8](repeating: 0x5A, count: 32)
        let signature = try key.sign(digest: digest)
        #expect(try boardSigned(digest, signature: signature, spki: spki))
        #expect(try !boardSigned([UInt8](repeating: 0x5B, count: 32), signature: signature, spki: spki))
    }

    @Test("CryptechExitStatus: the command ends with status 4 and its help lists its statuses")
    func exitStatus() throws {
        #expect(throws: ExitCode(.timeout)) { try Ping().run() }
        let help = Ping.helpMessage(columns: 100)
        for status in [ExitStatus.success, .unreachable, .timeout] {
            #expect(help.contains(status.meaning), "\(help)")
        }
        #expect(!help.contains(ExitStatus.alarm.meaning))
    }

    @Test("EtcdLedger: a path opens a ledger in a file")
    func ledgerInFile() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let ledger = try await openLedger(directory + "/shares.jsonl")
        #expect(ledger.keys.isEmpty)
        #expect(ledger.store is FileLedgerStore)
    }

    @Test("EtcdClient: the swap happens from the value read, not from another", .enabled(if: try EtcdTestCluster.etcdInstalled()))
    func compareAndSwapOnEtcd() async throws {
        try await EtcdTestCluster.with(members: 1) { cluster in
            let member = try #require(cluster.endpoints.first)
            let location = "etcd://\(member)/catalogue"
            let client = try cluster.client()
            _ = try await client.put("greeting", Array("hello".utf8))
            await client.shutdown()
            #expect(try await compareAndSwap("greeting", from: Array("hello".utf8), to: Array("hi".utf8), at: location))
            #expect(try await !compareAndSwap("greeting", from: Array("hello".utf8), to: Array("hey".utf8), at: location))
        }
    }

    private func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("catalogue-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
