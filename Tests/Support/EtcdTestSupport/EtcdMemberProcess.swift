import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One running `etcd`, its output in a log file. Owned by its ``EtcdTestCluster``; its exit is
/// a task the cluster can await any number of times.
final class EtcdMemberProcess {
    let log: String
    let processIdentifier: Int32
    private let process: Process
    private let exit: Task<Int32, Never>

    init(executable: String, arguments: [String], log: String) throws {
        self.log = log
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        guard let output = FileHandle(forWritingAtPath: log) else {
            throw EtcdTestClusterError(message: "cannot write \(log)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        let (exits, continuation) = AsyncStream<Int32>.makeStream()
        process.terminationHandler = { process in
            continuation.yield(process.terminationStatus)
            continuation.finish()
        }
        // The child has its own copy of the log's descriptor; ours is closed either way.
        defer { try? output.close() }
        try process.run()
        self.process = process
        self.processIdentifier = process.processIdentifier
        self.exit = Task {
            for await status in exits { return status }
            return -1
        }
    }

    var isRunning: Bool { process.isRunning }

    func signal(_ signal: Int32) {
        if process.isRunning { _ = Glibc.kill(processIdentifier, signal) }
    }

    /// Sends `signal` (after SIGCONT, so that a paused member acts on SIGTERM).
    /// - Returns: the exit, to await.
    func end(signal: Int32) -> Task<Int32, Never> {
        self.signal(SIGCONT)
        self.signal(signal)
        return exit
    }
}
