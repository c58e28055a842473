#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The few POSIX file calls the ledger and the blob store need, throwing ``LedgerError/io(path:operation:errno:)``.
///
/// Descriptors: every function that opens one closes it before returning, on success and on
/// failure, except ``openAppending(_:)`` and ``openLockFile(_:)``, whose caller owns the
/// result.
enum POSIXFile {
    /// Where to note each durable-write step, for tests of the fsync discipline.
    @TaskLocal static var trace: FileOperationTrace?

    static func note(_ operation: String, _ path: String) {
        trace?.record(operation + " " + baseName(path))
    }

    static func fail(_ path: String, _ operation: String) -> LedgerError {
        .io(path: path, operation: operation, errno: errno)
    }

    /// The whole file; `nil` if it does not exist.
    static func readAll(_ path: String) throws(LedgerError) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { return nil }
            throw fail(path, "open")
        }
        defer { close(fd) }
        return try readAll(fd: fd, path: path)
    }

    static func readAll(fd: Int32, path: String) throws(LedgerError) -> [UInt8] {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw fail(path, "read")
            }
            if count == 0 { return out }
            out.append(contentsOf: chunk[0..<count])
        }
    }

    static func writeAll(fd: Int32, _ bytes: [UInt8], path: String) throws(LedgerError) {
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
            if count < 0 {
                if errno == EINTR { continue }
                throw fail(path, "write")
            }
            written += count
        }
        note("write", path)
    }

    static func sync(fd: Int32, path: String) throws(LedgerError) {
        guard fsync(fd) == 0 else { throw fail(path, "fsync") }
        note("fsync", path)
    }

    /// Makes a directory entry change (create, rename, unlink) durable.
    static func syncDirectory(of path: String) throws(LedgerError) {
        let directory = directoryName(path)
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw fail(directory, "open directory") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw fail(directory, "fsync directory") }
        note("fsync-dir", directory)
    }

    static func directoryName(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func baseName(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    /// Opens `path` for appending, creating it (mode 0600) if absent; a new file's directory
    /// entry is fsynced before this returns. The caller owns the descriptor.
    static func openAppending(_ path: String) throws(LedgerError) -> (fd: Int32, created: Bool) {
        var fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
        var created = false
        if fd < 0 {
            guard errno == ENOENT else { throw fail(path, "open") }
            fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            if fd < 0, errno == EEXIST { fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC) } else { created = fd >= 0 }
            guard fd >= 0 else { throw fail(path, "create") }
        }
        if created {
            note("create", path)
            do {
                try sync(fd: fd, path: path)
                try syncDirectory(of: path)
            } catch {
                close(fd)
                throw error
            }
        }
        return (fd, created)
    }

    /// Writes `bytes` so that a crash leaves the old file or the new one, never a mix: a
    /// temporary file in the same directory, fsync, rename over `path`, fsync of the directory.
    static func writeAtomically(_ bytes: [UInt8], to path: String, mode: mode_t = 0o600) throws(LedgerError) {
        let temporary = directoryName(path) + "/." + baseName(path) + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw fail(temporary, "create") }
        note("create", temporary)
        do {
            try writeAll(fd: fd, bytes, path: temporary)
            try sync(fd: fd, path: temporary)
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        close(fd)
        guard rename(temporary, path) == 0 else {
            let error = fail(path, "rename")
            unlink(temporary)
            throw error
        }
        note("rename-to-" + baseName(path), temporary)
        try syncDirectory(of: path)
    }

    /// Removes `path` (absent is fine) and makes the removal durable.
    static func remove(_ path: String) throws(LedgerError) {
        if unlink(path) != 0 {
            guard errno == ENOENT else { throw fail(path, "unlink") }
            return
        }
        note("unlink", path)
        try syncDirectory(of: path)
    }

    static func makeDirectory(_ path: String) throws(LedgerError) {
        if mkdir(path, 0o700) != 0 {
            guard errno == EEXIST else { throw fail(path, "mkdir") }
            return
        }
        try syncDirectory(of: path)
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    static func size(fd: Int32, path: String) throws(LedgerError) -> Int {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw fail(path, "fstat") }
        return Int(info.st_size)
    }

    /// Opens (creating) a lock file. The caller owns the descriptor; closing it releases the lock.
    static func openLockFile(_ path: String) throws(LedgerError) -> Int32 {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw fail(path, "open lock file") }
        return fd
    }

    /// `flock`, retried on EINTR. Returns false when `nonBlocking` and the lock is held.
    static func lock(fd: Int32, _ operation: Int32, path: String) throws(LedgerError) -> Bool {
        while flock(fd, operation) != 0 {
            if errno == EINTR { continue }
            if errno == EWOULDBLOCK { return false }
            throw fail(path, "flock")
        }
        return true
    }
}

func errnoText(_ code: Int32) -> String {
    guard let text = strerror(code) else { return "errno \(code)" }
    return String(cString: text)
}

/// The durable-write steps made under ``POSIXFile/trace``, in order ("create x", "write x",
/// "fsync x", "rename-to-x .x.tmp-1", "fsync-dir d").
final class FileOperationTrace: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [String] = []

    var operations: [String] { lock.withLock { recorded } }

    func record(_ operation: String) {
        lock.withLock { recorded.append(operation) }
    }
}
