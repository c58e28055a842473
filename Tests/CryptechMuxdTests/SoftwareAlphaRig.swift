#if canImport(Glibc)
import Glibc
#endif
import AlphaEmulator
import CryptechMuxd
import CryptechTransport
import Foundation
import HalRPC

/// Real software Alphas (the `cryptech-emulator` executable, each on its own pty behind a
/// symlink) and the daemon serving them on temporary sockets.
final class SoftwareAlphaRig: @unchecked Sendable {
    // @unchecked: mutated only by the test that owns the rig, one step at a time.
    let directory: String
    private(set) var boards: [EmulatorProcess]
    let muxd: Muxd
    let sockets: [String]
    private let arguments: [[String]]

    /// The emulator arguments that give its NORMAL user `pin`: a file only this user may read
    /// (`--init-pin-file`: no PIN on a command line), in a directory of this test process that
    /// is removed at exit. A file that cannot be written makes the emulator's launch fail,
    /// naming it.
    static func pinArguments(user pin: PIN) -> [String] {
        let path = pinDirectory + "/" + UUID().uuidString
        try? InitialPINs.write([(.normal, pin)], toFile: path)
        return ["--init-pin-file", path]
    }

    private static let pinDirectory: String = {
        func path() -> String { FileManager.default.temporaryDirectory.appendingPathComponent("cryptech-test-pins-\(getpid())").path }
        try? FileManager.default.createDirectory(atPath: path(), withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        atexit { try? FileManager.default.removeItem(atPath: FileManager.default.temporaryDirectory.appendingPathComponent("cryptech-test-pins-\(getpid())").path) }
        return path()
    }()

    static func links(in directory: String, count: Int) -> [String] { (0..<count).map { "\(directory)/board\($0).tty" } }

    /// Starts `arguments.count` emulators (each with its own extra arguments) and the daemon,
    /// configured by `configure` (the daemon's defaults otherwise).
    init(boardArguments arguments: [[String]], timeouts: TimeoutPolicy = TimeoutPolicy(),
         configure: (inout MuxdConfiguration) -> Void = { _ in }) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("muxd-alpha-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        self.arguments = arguments
        let directory = self.directory
        let links = Self.links(in: directory, count: arguments.count)
        boards = try arguments.indices.map { index in
            try EmulatorProcess.launch(arguments: ["--link", links[index], "--wrong-pin-delay", "0"] + arguments[index])
        }
        let sockets = arguments.indices.map { "\(directory)/board\($0).rpc" }
        self.sockets = sockets
        var configuration = MuxdConfiguration(
            boards: arguments.indices.map { index in
                BoardConfiguration(name: "board\(index)", rpcDevice: .path(links[index]), rpcSocket: SocketSpec(path: sockets[index]))
            },
            timeouts: timeouts, reopenInterval: .milliseconds(50))
        configure(&configuration)
        muxd = try Muxd(configuration: configuration, logger: MuxdHarness.quiet)
        try await muxd.start()
        for index in arguments.indices { try await waitForAttachments(board: index, count: 1) }
    }

    /// Runs `body` with a rig, and stops the rig however `body` ends.
    static func with(
        boardArguments: [[String]], timeouts: TimeoutPolicy = TimeoutPolicy(), configure: (inout MuxdConfiguration) -> Void = { _ in },
        _ body: (SoftwareAlphaRig) async throws -> Void
    ) async throws {
        let rig = try await SoftwareAlphaRig(boardArguments: boardArguments, timeouts: timeouts, configure: configure)
        do {
            try await body(rig)
        } catch {
            await rig.stop()
            throw error
        }
        await rig.stop()
    }

    /// A client of board `index` through the daemon.
    func client(board index: Int = 0, handle: UInt32 = 0) -> HSMClient {
        HSMClient(connector: UnixSocketConnector(path: sockets[index]), client: ClientHandle(rawValue: handle))
    }

    /// Kills board `index` (SIGKILL, like pulling the plug) and starts it again behind the
    /// same link path.
    func restart(board index: Int) async throws {
        boards[index].kill()
        try await waitUntil { await self.muxd.statistics()["board\(index)"]?.boardLosses == 1 }
        let link = Self.links(in: directory, count: boards.count)[index]
        boards[index] = try EmulatorProcess.launch(arguments: ["--link", link, "--wrong-pin-delay", "0"] + arguments[index])
    }

    func waitForAttachments(board index: Int, count: Int) async throws {
        try await waitUntil { await self.muxd.statistics()["board\(index)"]?.boardAttachments == count }
    }

    /// Stops board `index` (SIGSTOP: it answers nothing) and returns once the kernel reports
    /// every thread of it stopped: on a loaded machine a stop sent is not yet a stop taken, and
    /// a request sent in between would be answered.
    func freeze(board index: Int) async throws {
        let pid = boards[index].pid
        _ = Glibc.kill(pid, SIGSTOP)
        try await waitUntil { Self.isStopped(pid) }
    }

    /// Lets a frozen board run again (SIGCONT).
    func thaw(board index: Int) { _ = Glibc.kill(boards[index].pid, SIGCONT) }

    /// Whether every thread of process `pid` is in state T (/proc/PID/task/TID/stat).
    private static func isStopped(_ pid: pid_t) -> Bool {
        guard let threads = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task"), !threads.isEmpty else { return false }
        return threads.allSatisfy { thread in
            // The state follows the parenthesised command name, which may itself hold spaces.
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/task/\(thread)/stat", encoding: .utf8),
                  let name = stat.lastIndex(of: ")") else { return false }
            return stat[name...].dropFirst(2).first == "T"
        }
    }

    func stop() async {
        await muxd.shutdown()
        for board in boards { board.terminate() }
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func waitUntil(_ condition: @Sendable () async -> Bool) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(60)
        while !(await condition()) {
            guard clock.now < deadline else { throw MuxdHarness.HarnessError.conditionNotMet }
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}
