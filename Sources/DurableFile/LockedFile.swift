#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SystemPackage
import Synchronization

/// A file held open under an exclusive `flock`, for appending to a journal or as a lock file.
///
/// The lock survives replacement: after the lock is taken, the file at the path is checked to
/// be the very file locked. A process that waited for the lock while another replaced the file
/// (``replaceContents(with:mode:)``, as `share repair` does) would otherwise hold a lock on, and
/// append to, an unlinked inode — its record lost for everyone else. On a mismatch the lock is
/// dropped and taken again on the new file.
///
/// The kernel drops the lock when the process dies, even by SIGKILL, so a crash never leaves
/// the file locked. Ownership: the descriptor is this object's until ``release()`` or deinit.
public final class LockedFile: Sendable {
    /// How long to wait for another process's lock.
    public enum Wait: Sendable {
        /// Fail at once (``DurableFileError/Reason/busy(waited:)``) if another process holds it.
        case never
        /// Wait at most this long.
        case upTo(Duration)
        /// Wait until the lock is free.
        case forever
    }

    /// What ends the file: nothing, a complete line, or a line cut short by a crash mid-append.
    public enum Tail: Hashable, Sendable {
        /// The file is empty or ends in a newline: the next append starts a new line.
        case clean
        /// `byteCount` bytes after the last newline, starting at `offset`.
        case torn(offset: Int, byteCount: Int)
    }

    /// The path the file was opened (and re-checked) at.
    public let path: String
    /// Whether this open created the file (its directory entry is durable already).
    public let created: Bool
    private let descriptor: Mutex<FileDescriptor?>

    /// Opens `path` for reading and appending, creating it with `mode` if absent, and locks it.
    /// A newly created file and its directory entry are fsynced before this returns.
    /// - Throws: ``DurableFileError``; `.busy` when the wait ran out.
    public init(path: String, wait: Wait, mode: FilePermissions = .ownerReadWrite) throws(DurableFileError) {
        self.path = path
        let clock = ContinuousClock()
        let start = clock.now
        while true {
            let (fd, created) = try Self.openCreating(path, mode: mode)
            do throws(DurableFileError) {
                guard try Self.lock(fd, path: path, wait: wait, since: start, clock: clock) else {
                    try? fd.close()
                    continue
                }
                if created {
                    try DurableFile.sync(fd, path: path)
                    try DurableFile.syncDirectory(of: path)
                }
            } catch {
                try? fd.close()
                throw error
            }
            self.created = created
            descriptor = Mutex(fd)
            return
        }
    }

    /// Takes the lock on `fd`; `false` when it was taken but `path` no longer names the locked
    /// file (replaced or removed meanwhile), so the caller must open again.
    private static func lock(_ fd: FileDescriptor, path: String, wait: Wait, since start: ContinuousClock.Instant,
                             clock: ContinuousClock) throws(DurableFileError) -> Bool {
        let blocking: Bool
        switch wait {
        case .forever: blocking = true
        case .never, .upTo: blocking = false
        }
        while flock(fd.rawValue, LOCK_EX | (blocking ? 0 : LOCK_NB)) != 0 {
            if errno == EINTR { continue }
            guard errno == EWOULDBLOCK else { throw .system("flock", path) }
            let waited = clock.now - start
            guard case .upTo(let limit) = wait, waited < limit else {
                throw DurableFileError(path: path, operation: "flock", reason: .busy(waited: waited))
            }
            usleep(2_000)
        }
        let locked = try DurableFile.call("fstat", path) { try fd.stat() }
        do {
            let named = try Stat(FilePath(path), followTargetSymlink: false)
            return named.inode == locked.inode && named.deviceID == locked.deviceID
        } catch {
            if error == .noSuchFileOrDirectory { return false }
            throw .system("lstat", path, error)
        }
    }

    private static func openCreating(_ path: String, mode: FilePermissions) throws(DurableFileError) -> (FileDescriptor, Bool) {
        while true {
            do {
                return (try FileDescriptor.open(FilePath(path), .readWrite, options: [.append, .closeOnExec, .noFollow]), false)
            } catch {
                guard Errno(error) == .noSuchFileOrDirectory else { throw .system("open", path, Errno(error)) }
            }
            do {
                let fd = try FileDescriptor.open(FilePath(path), .readWrite, options: [.append, .create, .exclusiveCreate, .closeOnExec, .noFollow],
                                                 permissions: mode)
                DurableFile.note("create", path)
                return (fd, true)
            } catch {
                // Another process created it between the two opens: open theirs.
                guard Errno(error) == .fileExists else { throw .system("create", path, Errno(error)) }
            }
        }
    }

    private func withDescriptor<R>(_ body: (FileDescriptor) throws(DurableFileError) -> R) throws(DurableFileError) -> R {
        let fd = descriptor.withLock { $0 }
        guard let fd else { throw .system("use after release", path, .badFileDescriptor) }
        return try body(fd)
    }

    /// The file's size now.
    public func size() throws(DurableFileError) -> Int {
        try withDescriptor { fd throws(DurableFileError) in Int(try DurableFile.call("fstat", path) { try fd.stat() }.size) }
    }

    /// The whole file.
    /// - Throws: ``DurableFileError`` (`.tooLarge` beyond `limit`).
    public func readAll(limit: Int) throws(DurableFileError) -> [UInt8] {
        try withDescriptor { fd throws(DurableFileError) in try DurableFile.read(fd, path: path, from: 0, limit: limit) }
    }

    /// Whether the file ends in a complete line. Reads backwards from the end, in chunks, only
    /// as far as the last newline.
    public func tail() throws(DurableFileError) -> Tail {
        try withDescriptor { fd throws(DurableFileError) in
            let end = Int64(try size())
            var position = end
            var chunk = [UInt8](repeating: 0, count: 4_096)
            while position > 0 {
                let length = Int(min(Int64(chunk.count), position))
                position -= Int64(length)
                let count = try DurableFile.call("read", path) {
                    try chunk.withUnsafeMutableBytes { try fd.read(fromAbsoluteOffset: position, into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<length])) }
                }
                if let newline = chunk[0..<count].lastIndex(of: UInt8(ascii: "\n")) {
                    let offset = Int(position) + newline + 1
                    return offset == end ? .clean : .torn(offset: offset, byteCount: Int(end) - offset)
                }
            }
            return end == 0 ? .clean : .torn(offset: 0, byteCount: Int(end))
        }
    }

    /// Appends `bytes` with one write and fsyncs them: durable when this returns.
    public func append(_ bytes: [UInt8]) throws(DurableFileError) {
        try withDescriptor { fd throws(DurableFileError) in
            try DurableFile.writeAll(fd, bytes, path: path)
            try DurableFile.sync(fd, path: path)
        }
    }

    /// Replaces the file atomically (``DurableFile/replace(_:with:mode:)``) while this lock is
    /// held. Processes waiting for the lock then find the new file; release this object
    /// afterwards, since it still holds the old one.
    public func replaceContents(with bytes: [UInt8], mode: FilePermissions = .ownerReadWrite) throws(DurableFileError) {
        try withDescriptor { _ throws(DurableFileError) in try DurableFile.replace(path, with: bytes, mode: mode) }
    }

    /// Drops the lock and closes the file. Idempotent.
    public func release() {
        descriptor.withLock { fd in
            try? fd?.close()
            fd = nil
        }
    }

    deinit { release() }
}
