#if canImport(Glibc)
import Glibc
#endif
import AlphaEmulator
import BlockingWork
import Foundation

/// The built `cryptech-muxd`, run as an operator runs it: its log on standard error goes to a
/// file the test reads, and the test sends it signals and awaits its exit. Waits are for
/// events (a socket that accepts, a line in the log, the exit); their deadlines only guard
/// against a hang.
final class MuxdProcess: @unchecked Sendable {
    // @unchecked: `process` is started in init and then only signalled and read.
    let process: Process
    let logPath: String
    private let exited = DispatchSemaphore(value: 0)

    /// Beside `cryptech-emulator` in the build products.
    static var executable: String? {
        EmulatorProcess.locateExecutable().map { URL(fileURLWithPath: $0).deletingLastPathComponent().appendingPathComponent("cryptech-muxd").path }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// How long any one wait may take before it is a hang: far above what the work takes even
    /// on a loaded machine.
    static let hangGuard: Duration = .seconds(120)

    init(_ arguments: [String], logPath: String) throws {
        guard let executable = Self.executable, FileManager.default.isExecutableFile(atPath: executable) else {
            throw Failure(description: "cryptech-muxd is not built (swift build)")
        }
        self.logPath = logPath
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle(forWritingAtPath: logPath)
        process.standardError = FileHandle(forWritingAtPath: logPath)
        let exited = self.exited
        process.terminationHandler = { _ in exited.signal() }
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    func signal(_ number: Int32) { _ = kill(process.processIdentifier, number) }

    /// Waits until `condition` holds, or fails naming `what` (with the log) after ``hangGuard``;
    /// also fails at once if the muxd exits first.
    func waitUntil(_ what: String, _ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + Self.hangGuard
        while !condition() {
            guard process.isRunning else { throw Failure(description: "cryptech-muxd exited before \(what):\n\(log)") }
            guard ContinuousClock.now < deadline else { throw Failure(description: "no \(what) within \(Self.hangGuard):\n\(log)") }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Waits until `path` accepts connections (the muxd is serving it).
    func waitUntilServing(_ path: String) async throws {
        try await waitUntil("socket \(path)") { Self.accepts(path) }
    }

    /// Awaits the exit; the exit status, or `nil` when a signal ended the process.
    func exitStatus() async throws -> Int32? {
        let exited = self.exited
        let guardSeconds = Double(Self.hangGuard.components.seconds)
        let done = try await offThePool { exited.wait(timeout: .now() + guardSeconds) == .success }
        guard done else { throw Failure(description: "cryptech-muxd did not exit within \(Self.hangGuard):\n\(log)") }
        return process.terminationReason == .exit ? process.terminationStatus : nil
    }

    static func accepts(_ path: String) -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8) + [0]) }
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        } == 0
    }
}
