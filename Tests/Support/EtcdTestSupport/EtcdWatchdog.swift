import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Cleans up after a test process that died (crashed, killed by a timeout) before it could tear
/// its cluster down: a shell waits on a pipe whose only writer is this process, and when the
/// pipe closes — at teardown, or when the kernel closes a dead process's descriptors — it
/// SIGKILLs the members listed in `pids` and removes the cluster's directory.
///
/// The write end is close-on-exec, so neither the shell nor any member inherits it.
final class EtcdWatchdog {
    private let pidsFile: String
    private let writeEnd: Int32
    private let process: Process

    init(directory: String) throws {
        pidsFile = "\(directory)/pids"
        _ = FileManager.default.createFile(atPath: pidsFile, contents: nil)
        var ends: [Int32] = [0, 0]
        // Glibc's module has no pipe2: close-on-exec is set just after (a process spawned by
        // another thread in between would only keep the shell waiting until it exits).
        guard pipe(&ends) == 0 else { throw EtcdTestClusterError(message: "pipe: errno \(errno)") }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        writeEnd = ends[1]
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", #"read _; kill -KILL $(cat "$1/pids") 2>/dev/null; rm -rf "$1""#, "etcd-watchdog", directory]
        let readEnd = FileHandle(fileDescriptor: ends[0], closeOnDealloc: true)
        process.standardInput = readEnd
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            close(writeEnd)
            throw error
        }
        try? readEnd.close()
    }

    /// The members to kill if this process dies: the running ones, rewritten on every change.
    func watch(_ pids: [Int32]) {
        try? pids.map(String.init).joined(separator: " ").write(toFile: pidsFile, atomically: true, encoding: .utf8)
    }

    /// Teardown has killed the members: the shell finds no pids, removes the directory, exits.
    func release() {
        watch([])
        close(writeEnd)
        process.waitUntilExit()
    }
}
