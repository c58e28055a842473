#if canImport(Glibc)
import CryptechHex
import Glibc
#endif
import AlphaEmulator
import CryptechTransport
import HalRPC
import Testing
import Foundation

/// PINs every test board starts with (passed in the emulator's environment:
/// `EmulatorProcess.launch(initialPINs:)`).
enum TestPINs {
    static let wheel = PIN("wheel-pin-0123")
    static let so = PIN("so-pin-0123")
    static let user = PIN("user-pin-0123")
    static let all: [InitialPINs.Entry] = [(.wheel, wheel), (.securityOfficer, so), (.normal, user)]
}

/// A `cryptech-emulator` process on a fresh (or given) state directory, PINs set, wrong-PIN
/// delay 0: the board every integration test talks to, through HSMClient over its tty.
final class Board: Sendable {
    let process: EmulatorProcess
    let stateDirectory: String
    let arguments: [String]
    let initialPINs: [InitialPINs.Entry]

    private init(process: EmulatorProcess, stateDirectory: String, arguments: [String], initialPINs: [InitialPINs.Entry]) {
        self.process = process
        self.stateDirectory = stateDirectory
        self.arguments = arguments
        self.initialPINs = initialPINs
    }

    /// Starts a board.
    /// - Parameters:
    ///   - stateDirectory: reuse a state directory (restart); a new temporary one if `nil`.
    ///   - pins: set the test PINs (`false` for a factory board).
    ///   - firmware: the personality (`--firmware`); SX1, the emulator's default, if `nil`.
    ///   - extra: more options.
    static func launch(stateDirectory: String? = nil, pins: Bool = true, firmware: Firmware? = nil, _ extra: [String] = []) throws -> Board {
        let directory = stateDirectory ?? makeTemporaryDirectory()
        var arguments = ["--state-dir", directory, "--wrong-pin-delay", "0"]
        if let firmware { arguments += ["--firmware", firmware.rawValue] }
        arguments += extra
        let initialPINs = pins ? TestPINs.all : []
        let process = try EmulatorProcess.launch(arguments: arguments, initialPINs: initialPINs, standardError: directory + ".log")
        return Board(process: process, stateDirectory: directory, arguments: arguments, initialPINs: initialPINs)
    }

    /// The same state directory in a new process (after ``kill()`` or ``stop()``): with the
    /// same options and initial PINs, or with `extra` options and no initial PINs (those
    /// stored stay).
    func restart(_ extra: [String]? = nil) throws -> Board {
        let arguments = extra.map { ["--state-dir", stateDirectory, "--wrong-pin-delay", "0"] + $0 } ?? self.arguments
        let initialPINs = extra == nil ? self.initialPINs : []
        let process = try EmulatorProcess.launch(arguments: arguments, initialPINs: initialPINs, standardError: stateDirectory + ".log")
        return Board(process: process, stateDirectory: stateDirectory, arguments: arguments, initialPINs: initialPINs)
    }

    /// One client with the whole tty to itself.
    func client(_ handle: ClientHandle = .zero) -> HSMClient {
        process.makeClient(client: handle)
    }

    /// A client for when another one just closed the tty: waits until the previous link
    /// has let go of the tty's lock (its close finishes asynchronously).
    func clientAfterClose(_ handle: ClientHandle = .zero) async throws -> HSMClient {
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(60)
        while clock.now < deadline {
            if let port = try? SerialPort(path: process.rpcPath) {
                port.close()
                break
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        return client(handle)
    }

    /// A client logged in as `user`, once the board's start-up rebuild of hashsig keys is done
    /// (it runs on a thread of its own, which a loaded machine may start late even with no
    /// keys to rebuild); `hashsigReady: false` for a test that looks at the rebuild itself.
    func loggedInClient(_ user: User = .normal, handle: ClientHandle = .zero, hashsigReady: Bool = true) async throws -> HSMClient {
        let client = self.client(handle)
        try await client.login(user: user, pin: Self.pin(user))
        if hashsigReady { try await waitUntilHashsigReady(client) }
        return client
    }

    static func pin(_ user: User) -> PIN {
        switch user {
        case .wheel: TestPINs.wheel
        case .securityOfficer: TestPINs.so
        default: TestPINs.user
        }
    }

    /// Stops the emulator (SIGTERM). Unless `keepState`, its state directory and log go too.
    func stop(keepState: Bool = false) {
        process.terminate()
        if !keepState {
            try? FileManager.default.removeItem(atPath: stateDirectory)
            try? FileManager.default.removeItem(atPath: stateDirectory + ".log")
        }
    }

    /// Kills the emulator (SIGKILL, a crash); the state directory stays for a restart.
    func kill() { process.kill() }

    /// A raw SLIP link on the tty, for what HSMClient will not send (unknown functions,
    /// oversize or truncated requests).
    func rawLink() async throws -> any FrameLink {
        try await SerialConnector(path: process.rpcPath).open()
    }
}

func makeTemporaryDirectory() -> String {
    var template = Array("/tmp/alpha-emulator-test-XXXXXX".utf8CString)
    let path = template.withUnsafeMutableBufferPointer { buffer -> String in
        guard let result = mkdtemp(buffer.baseAddress!) else { return "/tmp/alpha-emulator-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))" }
        return String(cString: result)
    }
    return path
}

/// Waits until the board answers hashsig operations (the start-up rebuild is done). Probes
/// with a GENERATE_HASHSIG that can never succeed: PUBLIC volatile flags need no login, the
/// firmware's order answers NOT_READY (49) before it rejects LMS type 0 (1) (docs/wire-protocol.md §8.5).
func waitUntilHashsigReady(_ client: HSMClient, timeout: Duration = .seconds(120)) async throws {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    let probe = RPC.PKeyGenerateHashsig.Request(
        session: .zero, levels: 1, lmsType: LMSTypeCode(rawValue: 0), lmotsType: .sha256N32W8, flags: .public)
    while clock.now < deadline {
        do {
            _ = try await client.perform(RPC.PKeyGenerateHashsig.self, probe)
            Issue.record("the readiness probe made a key")
            return
        } catch HSMClientError.device(.notReady) {
            try await Task.sleep(for: .milliseconds(20))
        } catch HSMClientError.device(.badArguments) {
            return
        }
    }
    Issue.record("hashsig keys not ready within \(timeout)")
}

/// The HAL status of a failed call.
func status(_ body: () async throws -> Void) async -> HALError? {
    do {
        try await body()
        return nil
    } catch HSMClientError.device(let status) {
        return status
    } catch {
        Issue.record("unexpected error \(error)")
        return nil
    }
}

/// Bytes from hex text (spaces allowed).
func hex(_ text: String) -> [UInt8] {
    Hex.decode(text.filter(\.isHexDigit))!
}
