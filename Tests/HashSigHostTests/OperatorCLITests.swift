import AlphaEmulator
import BlockingWork
import CryptechTransport
import Foundation
import HalRPC
import HashSig
import Testing
@testable import HashSigHost

/// Issue 16, item 3: `cryptech` for operators, as a built binary against real emulator
/// processes: `--json` results parsed and checked against the boards and the ledger, `-v`
/// showing what the libraries log, elapsed times of board operations, hints on common
/// failures, and the leaf map of `share status`.
@Suite("cryptech for operators (built binary)", .serialized,
       .enabled(if: try BuiltExecutables.present(EmulatorBoard.executable, CryptechCLI.executable), "build cryptech-emulator and cryptech first"))
struct OperatorCLITests {
    static let pinVariable = "OPERATOR_CLI_TEST_PIN"
    static let environment = [pinVariable: String(decoding: EmulatorBoard.pin.bytes, as: UTF8.self)]

    /// The JSON object on the one line of `output` that is one (stderr is mixed in).
    static func object<T: Decodable>(_ type: T.Type, in output: String) throws -> T {
        let lines = output.split(separator: "\n").filter { $0.hasPrefix("{") }
        try #require(lines.count == 1, "one JSON line expected in: \(output)")
        return try JSONDecoder().decode(type, from: Data(lines[0].utf8))
    }

    struct Version: Decodable { var endpoint: String; var version: String; var word: UInt32 }
    struct Random: Decodable { var endpoint: String; var count: Int; var hex: String }
    struct Verify: Decodable { var valid: Bool; var levels: Int; var leafIndices: [UInt32]?; var reason: String? }
    struct Sign: Decodable {
        var key: String; var board: String; var topLeafIndex: UInt32; var leafIndices: [UInt32]; var signature: String
        var passedOver: [String: String]
    }

    @Test("version, random and login: --json with the board's values, nothing on stdout on failure, a hint for a wrong PIN; -vv shows the RPC client's log, the default does not")
    func boardJSON() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let board = try EmulatorProcess.launch(arguments: ["--state-dir", directory.file("board"), "--wrong-pin-delay", "0"],
                                               initialPINs: [(.normal, EmulatorBoard.pin)], standardError: directory.file("board.log"))
        defer { board.terminate() }
        let client = board.makeClient()
        let expected = try await client.getVersion()
        await client.close()

        let version = try await offThePool { try CryptechCLI.run(["version", "--device", board.rpcPath, "--json"]) }
        #expect(version.status == 0, "\(version.output)")
        let parsed = try Self.object(Version.self, in: version.output)
        #expect(parsed.word == expected)
        #expect(parsed.version == [24, 16, 8, 0].map { String(expected >> $0 & 0xFF) }.joined(separator: "."))
        #expect(parsed.endpoint == board.rpcPath)
        #expect(!version.output.contains("cryptech.halrpc"), "nothing is logged by default: \(version.output)")

        let random = try await offThePool { try CryptechCLI.run(["random", "20000", "--device", board.rpcPath, "--json", "-vv"]) }
        #expect(random.status == 0, "\(random.output)")
        let bytes = try Self.object(Random.self, in: random.output)
        // More than one GET_RANDOM carries: the chunks are joined into one hex string.
        #expect(bytes.count == 20000 && bytes.hex.count == 40000)
        let hex = bytes.hex.allSatisfy { $0.isHexDigit }
        #expect(hex)
        #expect(random.output.contains("cryptech.halrpc"), "-vv logs the client's debug lines: \(random.output)")
        #expect(random.output.contains("link opened"))

        let both = try await offThePool { try CryptechCLI.run(["random", "4", "--device", board.rpcPath, "--json", "--raw"]) }
        #expect(both.status == ExitStatus.usage.rawValue)

        let wrong = try await offThePool {
            try CryptechCLI.run(["login", "--device", board.rpcPath, "--pin-env", Self.pinVariable, "--json"],
                                environment: [Self.pinVariable: "not-the-pin"])
        }
        #expect(wrong.status == ExitStatus.failed.rawValue)
        #expect(!wrong.output.contains("{"), "no result under --json when the command fails: \(wrong.output)")
        #expect(wrong.output.contains("cryptech: hint: check the PIN"), "\(wrong.output)")
        let right = try await offThePool {
            try CryptechCLI.run(["login", "--device", board.rpcPath, "--pin-env", Self.pinVariable, "--json"], environment: Self.environment)
        }
        #expect(right.status == 0, "\(right.output)")
        #expect(right.output.contains(#"{"endpoint":"\#(board.rpcPath)","persists":true,"user":"normal"}"#))
    }

    @Test("No muxd at the socket: the error says to start it or use --device; a missing tty says where to look")
    func hints() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let socket = directory.file("no-muxd.rpc")
        let version = try CryptechCLI.run(["version", "--socket", socket])
        #expect(version.status == ExitStatus.unreachable.rawValue)
        #expect(version.output.contains("cryptech: hint: is cryptech-muxd running? (nothing serves \(socket)) or use --device PATH"),
                "\(version.output)")
        let tty = try CryptechCLI.run(["version", "--device", directory.file("ttyNone")])
        #expect(tty.status == ExitStatus.unreachable.rawValue)
        #expect(tty.output.contains("hint: no such device: 'cryptech devices' lists"), "\(tty.output)")
    }

    @Test("A ledger another process is exporting with: the hint names the process holding the lock")
    func busyLedger() async throws {
        let fixture = try await LedgerFixture()
        defer { fixture.cleanup() }
        // This process takes the export lock, as a running 'share export' would.
        let lock = try FileExportLock(ledgerPath: fixture.path)
        let copy = try CryptechCLI.run(["share", "ledger", "copy", "--from", fixture.path, "--to", fixture.directory.file("copy.jsonl")])
        await lock.release()
        #expect(copy.status == ExitStatus.failed.rawValue, "\(copy.output)")
        #expect(copy.output.contains("another process is exporting with this ledger"))
        #expect(copy.output.contains("cryptech share: hint: \(fixture.path).lock is held by process \(getpid())"), "\(copy.output)")
    }

    @Test("share export: board times on stderr; -v shows the exporter's log, the default does not; share sign and hashsig verify --json")
    func exportSignVerify() async throws {
        try await BoardFixture.with(["A", "B", "C"], levels: 1, lms: .sha256N32H5) { fixture in
            for board in fixture.boards { await board.release() }
            let boards = fixture.boards.flatMap { ["--board", "\($0.name)=\($0.ttyPath)"] }
            let ledger = ["--ledger", fixture.ledger.path, "--pin-env", Self.pinVariable]
            let quiet = try await offThePool {
                try CryptechCLI.run(["share", "export"] + ledger + ["--from", "A", "--shares", "A:24,B:8"] + boards, environment: Self.environment)
            }
            #expect(quiet.status == 0, "\(quiet.output)")
            #expect(!quiet.output.contains("share exported"), "no log lines by default: \(quiet.output)")
            #expect(quiet.output.contains("board A: export T"), "\(quiet.output)")
            #expect(quiet.output.contains("board B: import T"))
            #expect(quiet.output.contains("board B: verify T"))

            let verbose = try await offThePool {
                try CryptechCLI.run(["share", "export", "-v"] + ledger + ["--from", "A", "--shares", "A:16,C:8"] + boards, environment: Self.environment)
            }
            #expect(verbose.status == 0, "\(verbose.output)")
            #expect(verbose.output.contains("cryptech.share.export"), "\(verbose.output)")
            #expect(verbose.output.contains("share exported"))
            #expect(verbose.output.contains("board C: import T"))

            let message = fixture.directory.file("message")
            try Data("operator test".utf8).write(to: URL(fileURLWithPath: message))
            let signature = fixture.directory.file("signature")
            let sign = try await offThePool {
                try CryptechCLI.run(["share", "sign", "-v", "--json"] + ledger + ["--message", message, "--sig", signature,
                                    "--journal", fixture.directory.file("journal.jsonl"), "--priority", "C"] + boards,
                                    environment: Self.environment)
            }
            #expect(sign.status == 0, "\(sign.output)")
            let signed = try Self.object(Sign.self, in: sign.output)
            #expect(signed.board == "C")
            #expect(signed.key == fixture.key.description)
            #expect(signed.signature == signature)
            #expect(signed.passedOver.isEmpty)
            // C holds [16, 24); its test signature took 16.
            #expect((17..<24).contains(signed.topLeafIndex))
            #expect(signed.leafIndices == [signed.topLeafIndex])
            #expect(sign.output.contains("cryptech.share.pool"), "-v shows the signer pool's log: \(sign.output)")
            let written = try HSS.Signature(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: signature))))
            #expect(written.leafIndices == signed.leafIndices)

            let publicKey = fixture.directory.file("public.key")
            try Data(try fixture.ledger.state(of: fixture.key).publicKey.bytes).write(to: URL(fileURLWithPath: publicKey))
            let verify = try CryptechCLI.run(["hashsig", "verify", "--json", "--pubkey", publicKey, "--sig", signature, "--message", message])
            #expect(verify.status == 0, "\(verify.output)")
            let verdict = try Self.object(Verify.self, in: verify.output)
            #expect(verdict.valid && verdict.levels == 1 && verdict.leafIndices == signed.leafIndices && verdict.reason == nil)
            try Data("not the message".utf8).write(to: URL(fileURLWithPath: message))
            let invalid = try CryptechCLI.run(["hashsig", "verify", "--json", "--pubkey", publicKey, "--sig", signature, "--message", message])
            #expect(invalid.status == ExitStatus.failed.rawValue)
            let refused = try Self.object(Verify.self, in: invalid.output)
            #expect(!refused.valid && refused.reason?.isEmpty == false && refused.leafIndices == nil)
        }
    }
}
