import AlphaEmulator
import CryptechMuxd
import Foundation
import HalRPC
import HashSig
import HashSigHost
import Logging
import Testing

/// The README's Swift code blocks are the files under Examples/, word for word: this target
/// compiles them, the first test checks the README still holds exactly them, and the others
/// run them against software Alphas.
@Suite("README examples", .serialized)
struct ReadmeExamplesTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let quiet = Logger(label: "readme-examples") { _ in SwiftLogNoOpLogHandler() }

    /// The ```swift blocks of README.md, without their fences.
    static func readmeBlocks() throws -> [String] {
        swiftBlocks(of: try String(contentsOf: root.appendingPathComponent("../../README.md").standardized, encoding: .utf8))
    }

    /// The ```swift blocks of a Markdown text, without their fences.
    static func swiftBlocks(of markdown: String) -> [String] {
        var blocks: [String] = []
        var current: [Substring]?
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == nil, line == "```swift" {
                current = []
            } else if current != nil, line == "```" {
                blocks.append(current!.joined(separator: "\n"))
                current = nil
            } else {
                current?.append(line)
            }
        }
        return blocks
    }

    /// The example files, by name.
    static func exampleFiles() throws -> [(name: String, text: String)] {
        let directory = root.appendingPathComponent("Examples")
        return try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".swift") }.sorted().map {
            let text = try String(contentsOf: directory.appendingPathComponent($0), encoding: .utf8)
            return ($0, text.hasSuffix("\n") ? String(text.dropLast()) : text)
        }
    }

    @Test("README.md's swift blocks are exactly the files in Examples/, in order")
    func readmeMatchesExamples() async throws {
        let blocks = try Self.readmeBlocks()
        let files = try Self.exampleFiles()
        for file in files {
            #expect(blocks.contains(file.text), "README.md lacks Examples/\(file.name) word for word: copy the file into it")
        }
        for (index, block) in blocks.enumerated() where !files.contains(where: { $0.text == block }) {
            Issue.record("README.md's swift block \(index + 1) is in no file under Examples/, so it is not compiled:\n\(block)")
        }
        #expect(blocks == files.map(\.text), "the README's blocks follow the files' order")
    }

    @Test("CryptechTransport: SLIP round trip with bytes that need escaping")
    func slip() {
        let payload: [UInt8] = [0x00, 0xC0, 0xDB, 0xDC, 0xDD, 0xFF]
        #expect(slipRoundTrip(payload) == payload)
    }

    @Test("HashSig: a software key signs and verifies")
    func hashsig() async throws {
        #expect(try hashsigInSoftware(message: Array("hello".utf8)))
    }

    @Test("AlphaEmulator, CryptechMuxd and HalRPC: a software Alpha behind an in-process muxd signs with a new EC key")
    func alphaMuxdClient() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let alpha = try startSoftwareAlpha(stateDirectory: directory + "/alpha", userPIN: PIN("readme-pin"), logger: Self.quiet)
        defer { alpha.stop() }
        let muxd = try await serveBoard(device: alpha.rpcPath, socket: directory + "/alpha.rpc", logger: Self.quiet)
        do {
            let digest = [UInt8](repeating: 0x42, count: 32)
            let (spki, signature) = try await signOnBoard(at: .muxd(socketPath: directory + "/alpha.rpc"), pin: PIN("readme-pin"), digest: digest)
            #expect(try ECPublicKey(subjectPublicKeyInfo: spki).isValidSignature(signature, digest: digest))
        } catch {
            await muxd.shutdown()
            throw error
        }
        await muxd.shutdown()
        #expect(!FileManager.default.fileExists(atPath: directory + "/alpha.rpc"))
    }

    @Test("HashSigHost: a key shared by two software Alphas signs through the pool")
    func share() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let pin = PIN("readme-pin")
        var alphas: [SoftwareAlpha] = []
        var clients: [HSMClient] = []
        defer { for alpha in alphas { alpha.stop() } }
        for name in ["a", "b"] {
            var configuration = EmulatorConfiguration(stateDirectory: directory + "/" + name, initialPINs: [(.normal, pin)])
            configuration.wrongPINDelay = .zero
            let alpha = try SoftwareAlpha(configuration: configuration, logger: Self.quiet)
            alpha.start()
            alphas.append(alpha)
            let client = HSMClient(endpoint: .serial(devicePath: alpha.rpcPath, speed: 921_600))
            try await client.login(user: .normal, pin: pin)
            clients.append(client)
        }
        let message = Array("hello".utf8)
        let signed = try await shareAndSign(a: clients[0], b: clients[1], ledgerPath: directory + "/shares.jsonl", message: message)
        for client in clients { await client.close() }
        let ledger = try await ShareLedger(path: directory + "/shares.jsonl")
        let state = try ledger.state(of: try #require(ledger.keys.first))
        #expect(state.publicKey.isValidSignature(signed.signature, for: message))
        #expect(state.holdings[signed.board]?.range.contains(signed.topLeafIndex) == true)
        #expect(state.holdings[try BoardName("B")]?.range == LeafRange(768..<1024))
    }

    private func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("readme-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
