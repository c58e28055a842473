#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SystemPackage

/// Crash-safe files: the one place the stack writes state that must survive a crash (the share
/// ledger, the signer pool's journal, wrapped-share blobs, the software Alpha's keystore,
/// software key files).
///
/// The discipline: a replaced file is written to a temporary file in the same directory,
/// fsynced, renamed over the target, and the directory fsynced, so a crash leaves the old
/// contents or the new, never a mix, and the new contents survive once the call returns. A
/// created or removed directory entry is made durable by fsyncing its directory. Appends go
/// through ``LockedFile``, which notices a torn last line.
///
/// Descriptors: every function here closes what it opens, on success and on failure.
public enum DurableFile {
    /// Where to note each durable-write step, for tests of the fsync discipline.
    @TaskLocal public static var trace: DurableTrace?

    static func note(_ operation: String, _ path: String) {
        trace?.record(operation + " " + traceName(path))
    }

    /// The whole file; `nil` if it does not exist. Works on pipes, FIFOs and devices too.
    /// - Parameters:
    ///   - path: the file; one that does not exist is `nil`, not an error.
    ///   - limit: the most bytes accepted; a longer file is an error, and never read into
    ///     memory whole.
    /// - Throws: ``DurableFileError`` (`.tooLarge` beyond `limit`).
    public static func read(_ path: String, limit: Int) throws(DurableFileError) -> [UInt8]? {
        let fd: FileDescriptor
        do {
            fd = try FileDescriptor.open(FilePath(path), .readOnly, options: [.closeOnExec])
        } catch {
            if Errno(error) == .noSuchFileOrDirectory { return nil }
            throw .system("open", path, Errno(error))
        }
        defer { try? fd.close() }
        return try read(fd, path: path, from: nil, limit: limit)
    }

    /// The whole of a file of secrets (PINs), refused unless only its owner may access it, as
    /// ssh refuses a private key others can read. A pipe passes (`<(printf …)` in bash).
    /// - Throws: ``DurableFileError``: `.notPrivate`, `.tooLarge`, or the failing call.
    public static func readPrivate(_ path: String, limit: Int) throws(DurableFileError) -> [UInt8] {
        let fd = try call("open", path) { try FileDescriptor.open(FilePath(path), .readOnly, options: [.closeOnExec]) }
        defer { try? fd.close() }
        let mode = try call("fstat", path) { try fd.stat() }.permissions.rawValue & 0o777
        guard mode & 0o077 == 0 else { throw DurableFileError(path: path, operation: "open", reason: .notPrivate(mode: UInt16(mode))) }
        return try read(fd, path: path, from: nil, limit: limit)
    }

    /// Creates `path` with `bytes`, failing if it exists (`O_EXCL`): written, fsynced, and its
    /// directory entry fsynced before this returns.
    /// - Throws: ``DurableFileError``; a partly written file is removed.
    public static func create(_ path: String, with bytes: [UInt8], mode: FilePermissions = .ownerReadWrite) throws(DurableFileError) {
        let fd = try call("create", path) {
            try FileDescriptor.open(FilePath(path), .writeOnly, options: [.create, .exclusiveCreate, .closeOnExec, .noFollow], permissions: mode)
        }
        note("create", path)
        do throws(DurableFileError) {
            defer { try? fd.close() }
            try writeAll(fd, bytes, path: path)
            try sync(fd, path: path)
        } catch {
            unlink(path)
            throw error
        }
        try syncDirectory(of: path)
    }

    /// Reads `fd` from `offset` (or from its current position when `nil`, which also suits a
    /// pipe) to its end, refusing more than `limit` bytes.
    static func read(_ fd: FileDescriptor, path: String, from offset: Int64?, limit: Int) throws(DurableFileError) -> [UInt8] {
        var out: [UInt8] = []
        var position = offset
        let chunkSize = 65_536
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        while true {
            let count = try call("read", path) {
                try chunk.withUnsafeMutableBytes { buffer in
                    if let at = position { return try fd.read(fromAbsoluteOffset: at, into: buffer) }
                    return try fd.read(into: buffer)
                }
            }
            if count == 0 { return out }
            guard out.count + count <= limit else { throw DurableFileError(path: path, operation: "read", reason: .tooLarge(limit: limit)) }
            out.append(contentsOf: chunk[0..<count])
            position = position.map { $0 + Int64(count) }
        }
    }

    /// Replaces `path` with `bytes` so that a crash leaves the old file or the new one, never
    /// a mix: a uniquely named temporary file in the same directory (created exclusively, so
    /// two writers never share one), fsync, rename over `path`, fsync of the directory.
    ///
    /// Refuses to replace anything but a regular file (a symbolic link is replaced itself,
    /// not followed: callers that mean its target resolve it first).
    /// - Parameters:
    ///   - path: the file to replace, or to create; its directory must exist.
    ///   - bytes: the whole new contents.
    ///   - mode: permission bits of the new file.
    /// - Throws: ``DurableFileError``; `path` is unchanged then, and the temporary is gone.
    public static func replace(_ path: String, with bytes: [UInt8], mode: FilePermissions = .ownerReadWrite) throws(DurableFileError) {
        guard try isRegularFileOrAbsent(path) else {
            throw DurableFileError(path: path, operation: "atomic replace", reason: .notRegularFile)
        }
        let temporary = try createTemporary(for: path, mode: mode)
        do throws(DurableFileError) {
            defer { try? temporary.fd.close() }
            try writeAll(temporary.fd, bytes, path: temporary.path)
            try sync(temporary.fd, path: temporary.path)
        } catch {
            unlink(temporary.path)
            throw error
        }
        guard rename(temporary.path, path) == 0 else {
            let error = DurableFileError.system("rename to \(path)", temporary.path)
            unlink(temporary.path)
            throw error
        }
        note("rename-to-" + baseName(path), temporary.path)
        try syncDirectory(of: path)
    }

    /// Removes `path` (absent is fine) and makes the removal durable.
    public static func remove(_ path: String) throws(DurableFileError) {
        guard unlink(path) == 0 else {
            guard errno == ENOENT else { throw .system("unlink", path) }
            return
        }
        note("unlink", path)
        try syncDirectory(of: path)
    }

    /// Creates `path` and any missing parents (mode 0700), each made durable by fsyncing the
    /// directory that holds it. Existing directories are fine.
    public static func makeDirectories(_ path: String) throws(DurableFileError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component
            if mkdir(prefix, 0o700) == 0 {
                note("mkdir", prefix)
                try syncDirectory(of: prefix)
            } else if errno != EEXIST {
                throw .system("mkdir", prefix)
            }
            prefix += "/"
        }
    }

    /// The names in `directory`, sorted, without `.` and `..`.
    public static func list(_ directory: String) throws(DurableFileError) -> [String] {
        guard let handle = opendir(directory) else { throw .system("opendir", directory) }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != ".", name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// Whether `name` is one of ``replace(_:with:mode:)``'s temporary files: left behind only
    /// by a writer that died before its rename, so the file it was replacing still rules.
    public static func isTemporary(_ name: String) -> Bool {
        name.hasPrefix(".") && name.contains(temporaryMarker)
    }

    /// Makes a directory entry change (create, rename, unlink) of `path` durable.
    public static func syncDirectory(of path: String) throws(DurableFileError) {
        let directory = directoryName(path)
        let fd = try call("open directory", directory) {
            try FileDescriptor.open(FilePath(directory), .readOnly, options: [.directory, .closeOnExec])
        }
        defer { try? fd.close() }
        guard fsync(fd.rawValue) == 0 else { throw .system("fsync directory", directory) }
        note("fsync-dir", directory)
    }

    /// Whether `path` names a regular file (not following a final symbolic link) or nothing.
    public static func isRegularFileOrAbsent(_ path: String) throws(DurableFileError) -> Bool {
        do {
            return try Stat(FilePath(path), followTargetSymlink: false).type == .regular
        } catch {
            if error == .noSuchFileOrDirectory { return true }
            throw .system("lstat", path, error)
        }
    }

    /// The directory part of `path`, as `dirname(1)` gives it for paths without a trailing slash:
    /// `.` for a bare name, `/` for a file in the root. A temporary file goes there, and the
    /// directory is what gets fsynced so a rename is durable.
    public static func directoryName(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// The last component of `path` (all of it when there is no slash): the name a temporary file
    /// beside it is derived from.
    public static func baseName(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    // MARK: Pieces shared with LockedFile

    static let temporaryMarker = ".tmp-"

    /// A new, exclusively created temporary file beside `path`: `.NAME.tmp-PID-RANDOM`.
    private static func createTemporary(for path: String, mode: FilePermissions) throws(DurableFileError) -> (fd: FileDescriptor, path: String) {
        let stem = directoryName(path) + "/." + baseName(path) + temporaryMarker + "\(getpid())-"
        while true {
            let temporary = stem + String(UInt64.random(in: 0...UInt64.max), radix: 16)
            do {
                let fd = try FileDescriptor.open(FilePath(temporary), .writeOnly,
                                                 options: [.create, .exclusiveCreate, .closeOnExec, .noFollow],
                                                 permissions: mode)
                note("create", temporary)
                return (fd, temporary)
            } catch {
                if Errno(error) == .fileExists { continue }
                throw .system("create", temporary, Errno(error))
            }
        }
    }

    static func writeAll(_ fd: FileDescriptor, _ bytes: [UInt8], path: String) throws(DurableFileError) {
        _ = try call("write", path) { try fd.writeAll(bytes) }
        note("write", path)
    }

    static func sync(_ fd: FileDescriptor, path: String) throws(DurableFileError) {
        guard fsync(fd.rawValue) == 0 else { throw .system("fsync", path) }
        note("fsync", path)
    }

    /// A temporary file's trace name is its stable prefix, so traces compare across runs.
    private static func traceName(_ path: String) -> String {
        let name = baseName(path)
        guard isTemporary(name), let marker = name.firstRange(of: temporaryMarker) else { return name }
        return String(name[..<marker.lowerBound]) + ".tmp"
    }
}

extension DurableFile {
    /// Runs a swift-system call (they throw untyped, always an `Errno`), naming the step and
    /// file on failure.
    static func call<R>(_ operation: String, _ path: String, _ body: () throws -> R) throws(DurableFileError) -> R {
        do {
            return try body()
        } catch {
            throw .system(operation, path, Errno(error))
        }
    }
}

extension Errno {
    /// The calling thread's `errno`.
    static var current: Errno { Errno(rawValue: errno) }

    /// The `Errno` a swift-system call threw (they throw nothing else).
    init(_ error: any Error) {
        self = (error as? Errno) ?? .ioError
    }
}
