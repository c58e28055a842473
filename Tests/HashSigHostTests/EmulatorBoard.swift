#if canImport(Glibc)
import Glibc
#endif
import CryptechTransport
import EtcdLedger
import EtcdTestSupport
import Foundation
import HalRPC
import HashSigHost

/// A `cryptech-emulator` process (the software Alpha) on a pseudo-terminal, reached through
/// `HSMClient` over its tty exactly like a board's USB serial port.
final class EmulatorBoard: @unchecked Sendable {
    static let pin = PIN("host-tests-pin")
    /// The environment variable the emulator reads its initial PINs from.
    private static let pinVariable = "CRYPTECH_EMULATOR_INIT_PINS"

    let name: BoardName
    let stateDirectory: String
    /// `cryptech-emulator --firmware`: `sx1` or `reference` (the stock firmware).
    let firmware: String
    private(set) var process: Process
    private(set) var ttyPath: String
    private(set) var client: HSMClient

    /// The built executables (`.build/debug` of this package, or `$CRYPTECH_EMULATOR`).
    static let buildDirectory: String = {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
        let beside = URL(fileURLWithPath: exe).deletingLastPathComponent().path
        if FileManager.default.isExecutableFile(atPath: beside + "/cryptech-emulator") { return beside }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../.build/debug").standardized.path
    }()

    static var executable: String {
        ProcessInfo.processInfo.environment["CRYPTECH_EMULATOR"] ?? buildDirectory + "/cryptech-emulator"
    }

    /// Starts an emulator with a state directory (kept across ``restart()``), logged in as NORMAL.
    init(_ name: String, in directory: TemporaryDirectory, firmware: String = "sx1") async throws {
        self.name = try BoardName(name)
        self.firmware = firmware
        stateDirectory = directory.file("board-" + name)
        try FileManager.default.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true)
        (process, ttyPath) = try Self.launch(stateDirectory: stateDirectory, firmware: firmware, log: directory.file("board-\(name).log"))
        client = HSMClient(connector: SerialConnector(path: ttyPath), checksReplyClient: true)
        try await client.login(user: .normal, pin: Self.pin)
    }

    /// - Parameter faults: `cryptech-emulator --fault`: what to do to its replies.
    private static func launch(stateDirectory: String, firmware: String, log: String, faults: String? = nil) throws -> (Process, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        // --exit-with-parent: no emulator outlives a test run that dies. The PIN goes in the
        // child's environment, not on its command line (cryptech-emulator --init-pin-env).
        process.arguments = ["--state-dir", stateDirectory, "--init-pin-env", pinVariable, "--wrong-pin-delay", "0",
                             "--exit-with-parent", "--firmware", firmware] + (faults.map { ["--fault", $0] } ?? [])
        var environment = ProcessInfo.processInfo.environment
        environment[pinVariable] = "user=" + String(decoding: pin.bytes, as: UTF8.self)
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        process.standardError = FileHandle(forWritingAtPath: log)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // The first line of standard output is the RPC tty's path.
        var line: [UInt8] = []
        while true {
            let chunk = output.fileHandleForReading.readData(ofLength: 1)
            guard let byte = chunk.first else { break }
            if byte == UInt8(ascii: "\n") { break }
            line.append(byte)
        }
        let path = String(decoding: line, as: UTF8.self)
        guard path.hasPrefix("/dev/") else {
            process.terminate()
            throw EmulatorError("cryptech-emulator printed no tty path (log: \(log))")
        }
        return (process, path)
    }

    var link: BoardLink { BoardLink(name: name, client: client) }

    /// SIGKILL: the board is gone (pulled out, powered off).
    func kill() async {
        if process.isRunning {
            Glibc.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// Starts the board again on its state directory (a restart: lower trees are rebuilt).
    func restart(log: String) async throws {
        try await relaunch(log: log)
        try await client.login(user: .normal, pin: Self.pin)
        try await waitUntilHashsigReady()
    }

    /// Waits until the restarted board answers hashsig operations (its start-up rebuild is
    /// done), asking with a GENERATE_HASHSIG that can never succeed: the firmware answers
    /// NOT_READY before it rejects LMS type 0 (docs/wire-protocol.md §8.5).
    private func waitUntilHashsigReady() async throws {
        let probe = RPC.PKeyGenerateHashsig.Request(session: .zero, levels: 1, lmsType: LMSTypeCode(rawValue: 0), lmotsType: .sha256N32W8, flags: .public)
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline {
            do {
                _ = try await client.perform(RPC.PKeyGenerateHashsig.self, probe)
                throw EmulatorError("board \(name): the readiness probe made a key")
            } catch HSMClientError.device(.notReady) {
                try await Task.sleep(for: .milliseconds(20))
            } catch HSMClientError.device(.badArguments) {
                return
            }
        }
        throw EmulatorError("board \(name): hashsig keys not ready within 120 s")
    }

    /// Starts the board again on its state directory, its tty left free for a process under
    /// test (``client`` is not logged in and holds nothing).
    /// - Parameter faults: `--fault` for the new process: its link drops or damages replies.
    func relaunch(log: String, faults: String? = nil) async throws {
        await kill()
        await client.close()
        (process, ttyPath) = try Self.launch(stateDirectory: stateDirectory, firmware: firmware, log: log, faults: faults)
        client = HSMClient(connector: SerialConnector(path: ttyPath), checksReplyClient: true)
    }

    /// Lets go of the tty (a tty has one user at a time: the CLI under test takes it).
    func release() async {
        await client.close()
        // The port's lock goes with its last descriptor, which the event loop closes just
        // after the link: wait until another process can take the tty (a minute: a hang guard).
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(60)
        while clock.now < deadline {
            let fd = open(ttyPath, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
            if fd >= 0 {
                let free = flock(fd, LOCK_EX | LOCK_NB) == 0
                close(fd)
                if free { return }
            }
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Takes the tty back and logs in again.
    func reacquire() async throws {
        try await client.login(user: .normal, pin: Self.pin)
    }

    func stop() async {
        await client.close()
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }
}

extension EmulatorBoard {
    /// Runs `body` with a board, and stops it and removes `directory` afterwards, however
    /// `body` ends.
    static func with<T>(_ name: String, in directory: TemporaryDirectory, firmware: String = "sx1",
                        _ body: (EmulatorBoard) async throws -> T) async throws -> T {
        let board = try await EmulatorBoard(name, in: directory, firmware: firmware)
        do {
            let result = try await body(board)
            await board.stop()
            directory.cleanup()
            return result
        } catch {
            await board.stop()
            directory.cleanup()
            throw error
        }
    }
}

struct EmulatorError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Boards under test with a ledger: generate a key on the first, register it.
struct BoardFixture {
    let directory: TemporaryDirectory
    let boards: [EmulatorBoard]
    let ledger: ShareLedger
    let key: KeyIdentity
    let publicKey: HSS.PublicKey

    /// - Parameter stock: the boards that run the stock firmware (no SX1); the others run SX1.
    /// - Parameter ledgerLocation: where the ledger is (`--ledger`): a file in the fixture's
    ///   directory unless given (an etcd location).
    init(_ names: [String], levels: Int = 2, lms: LMSTypeCode = .sha256N32H10, lmots: LMOTSTypeCode = .sha256N32W4,
         stock: Set<String> = [], ledgerLocation: String? = nil) async throws {
        directory = try TemporaryDirectory()
        var boards: [EmulatorBoard] = []
        for name in names {
            boards.append(try await EmulatorBoard(name, in: directory, firmware: stock.contains(name) ? "reference" : "sx1"))
        }
        self.boards = boards
        ledger = try await ShareLedger(store: LedgerLocation.store(for: ledgerLocation ?? directory.file("shares.jsonl"),
                                                                   lockTTL: EtcdTestCluster.minimumLeaseSeconds))
        (key, publicKey) = try await Self.generateKey(on: boards[0], ledger: ledger, levels: levels, lms: lms, lmots: lmots)
    }

    /// Another key on the same boards and ledger, generated on the first board: many keys
    /// share the boards' processes (the ledger tells them apart).
    init(anotherKeyOn fixture: BoardFixture, levels: Int = 2, lms: LMSTypeCode = .sha256N32H5, lmots: LMOTSTypeCode = .sha256N32W4) async throws {
        directory = fixture.directory
        boards = fixture.boards
        ledger = fixture.ledger
        (key, publicKey) = try await Self.generateKey(on: boards[0], ledger: ledger, levels: levels, lms: lms, lmots: lmots)
    }

    /// Generates a key on `first` and registers it in `ledger`.
    private static func generateKey(on first: EmulatorBoard, ledger: ShareLedger, levels: Int, lms: LMSTypeCode,
                                    lmots: LMOTSTypeCode) async throws -> (KeyIdentity, HSS.PublicKey) {
        let generated = try await first.client.generateHashsigKey(levels: levels, lmsType: lms, lmotsType: lmots,
                                                                  flags: [.digitalSignature, .token, .exportable])
        let opened = try await BoardHashsigKey.open(generated.name!, on: first.link)
        try? await generated.close()
        // As `cryptech hashsig keygen --ledger` does.
        try await ledger.register(opened, .generatedJustNow, probeMessage: Array("fixture probe".utf8))
        return (KeyIdentity(opened.publicKey), opened.publicKey)
    }

    func board(_ name: String) -> EmulatorBoard { boards.first { $0.name.rawValue == name }! }

    var links: [BoardLink] { boards.map(\.link) }

    func exporter(_ configure: (inout ShareExporter.Options) -> Void = { _ in }) -> ShareExporter {
        var options = ShareExporter.Options()
        configure(&options)
        return ShareExporter(ledger: ledger, key: key, boards: links, options: options)
    }

    /// What each board reports now, by name.
    func reports() async throws -> [BoardName: BoardReport] {
        let state = try ledger.state(of: key)
        var reports: [BoardName: BoardReport] = [:]
        for board in boards {
            guard let holding = state.holdings[board.name], let name = KeyName(uuidString: holding.keyName) else { continue }
            let opened = try await BoardHashsigKey.open(name, on: board.link)
            reports[board.name] = try await opened.reportOrProbe(Array("fixture report probe".utf8)).0
            await opened.close()
        }
        return reports
    }

    func stop() async {
        for board in boards { await board.stop() }
        directory.cleanup()
    }

    /// Runs `body` with fresh boards and key, and stops the boards afterwards, however `body` ends.
    static func with<T>(_ names: [String], levels: Int = 2, lms: LMSTypeCode = .sha256N32H10, lmots: LMOTSTypeCode = .sha256N32W4,
                        stock: Set<String> = [], ledgerLocation: String? = nil,
                        _ body: (BoardFixture) async throws -> T) async throws -> T {
        let fixture = try await BoardFixture(names, levels: levels, lms: lms, lmots: lmots, stock: stock, ledgerLocation: ledgerLocation)
        do {
            let result = try await body(fixture)
            await fixture.stop()
            return result
        } catch {
            await fixture.stop()
            throw error
        }
    }
}

import HashSig
