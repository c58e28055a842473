import Foundation
import Synchronization

/// Runs a program to its end and collects what it wrote: the one way tests start a process
/// that ends by itself (daemons under test have their own handles: EmulatorBoard, MuxdProcess,
/// the etcd members).
///
/// Standard output and standard error are read at once, and standard input written beside
/// them: a child that fills one pipe (64 KiB) while this process waited on the other would
/// block forever.
public enum ChildProcess {
    /// How the program ended and what it wrote.
    public struct Output: Sendable {
        /// The exit status, or the signal's number when ``signal`` is set.
        public var status: Int32
        /// The signal that ended it, if one did.
        public var signal: Int32?
        public var stdout: String
        /// Empty when standard error went to ``stdout`` (`mergingStandardError`).
        public var stderr: String
    }

    /// Runs `executable` with `arguments` and waits for it.
    /// - Parameters:
    ///   - stdin: its standard input; `/dev/null` when `nil`.
    ///   - environment: changes to this process's environment for it; `nil` removes a variable.
    ///   - mergingStandardError: both streams into ``Output/stdout``, interleaved as a
    ///     terminal would show them.
    ///   - started: called once it runs, before its output is read (to signal it, say).
    public static func run(_ executable: String, _ arguments: [String], stdin: Data? = nil,
                           environment: [String: String?] = [:], mergingStandardError: Bool = false,
                           started: (Process) -> Void = { _ in }) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var merged = ProcessInfo.processInfo.environment
        for (variable, value) in environment { merged[variable] = value }
        process.environment = merged
        let out = Pipe()
        let err = mergingStandardError ? out : Pipe()
        process.standardOutput = out
        process.standardError = err
        let input = stdin.map { _ in Pipe() }
        process.standardInput = input ?? FileHandle.nullDevice
        try process.run()
        started(process)
        let group = DispatchGroup()
        let stderrData = Collected()
        if !mergingStandardError {
            DispatchQueue.global().async(group: group) { stderrData.set(err.fileHandleForReading.readDataToEndOfFile()) }
        }
        if let input, let stdin {
            DispatchQueue.global().async(group: group) {
                try? input.fileHandleForWriting.write(contentsOf: stdin)
                try? input.fileHandleForWriting.close()
            }
        }
        let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Output(status: process.terminationStatus,
                      signal: process.terminationReason == .uncaughtSignal ? process.terminationStatus : nil,
                      stdout: String(decoding: stdoutData, as: UTF8.self),
                      stderr: String(decoding: stderrData.value, as: UTF8.self))
    }

    /// What another thread read.
    private final class Collected: Sendable {
        private let data = Mutex(Data())
        func set(_ value: Data) { data.withLock { $0 = value } }
        var value: Data { data.withLock { $0 } }
    }
}
