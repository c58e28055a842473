#if canImport(Glibc)
import Glibc
#endif

/// Why a state file could not be read or written.
struct StateFileError: Error, CustomStringConvertible {
    var path: String
    var reason: String

    var description: String { "\(path): \(reason)" }

    static func system(_ call: String, _ path: String, errno value: Int32 = errno) -> StateFileError {
        StateFileError(path: path, reason: "\(call): \(String(cString: strerror(value)))")
    }
}

/// Crash-safe file replacement for the state directory: write a temporary file, `fsync` it,
/// `rename` it over the target, `fsync` the directory. After a crash (SIGKILL, power loss) the
/// target holds either the old or the new contents, never a mix, and once this returns the new
/// contents survive a crash (design.md, "The software Alpha").
enum AtomicFile {
    /// Replaces `path` (in `directory`) with `bytes`.
    /// - Throws: ``StateFileError``; the target is unchanged then.
    static func write(_ bytes: [UInt8], to path: String, directory: String) throws(StateFileError) {
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .system("open", temporary) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, bytes.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                let error = StateFileError.system("write", temporary)
                Glibc.close(fd)
                unlink(temporary)
                throw error
            }
            offset += written
        }
        guard fsync(fd) == 0 else {
            let error = StateFileError.system("fsync", temporary)
            Glibc.close(fd)
            unlink(temporary)
            throw error
        }
        Glibc.close(fd)
        guard rename(temporary, path) == 0 else {
            let error = StateFileError.system("rename", path)
            unlink(temporary)
            throw error
        }
        try syncDirectory(directory)
    }

    /// Removes `path` and makes the removal durable.
    static func remove(_ path: String, directory: String) throws(StateFileError) {
        guard unlink(path) == 0 || errno == ENOENT else { throw .system("unlink", path) }
        try syncDirectory(directory)
    }

    /// Reads a whole file; `nil` if it does not exist.
    static func read(_ path: String) throws(StateFileError) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { return nil }
            throw .system("open", path)
        }
        defer { Glibc.close(fd) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .system("read", path)
            }
            if count == 0 { return result }
            result += chunk[0..<count]
        }
    }

    /// Creates `path` (and its parents) as directories if missing.
    static func makeDirectory(_ path: String) throws(StateFileError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component
            if mkdir(prefix, 0o700) != 0, errno != EEXIST { throw .system("mkdir", prefix) }
            prefix += "/"
        }
    }

    /// Names of the entries in `directory`.
    static func list(_ directory: String) throws(StateFileError) -> [String] {
        guard let dir = opendir(directory) else { throw .system("opendir", directory) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != ".", name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    private static func syncDirectory(_ directory: String) throws(StateFileError) {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw .system("open", directory) }
        defer { Glibc.close(fd) }
        guard fsync(fd) == 0 else { throw .system("fsync", directory) }
    }
}
