#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import NIOPosix

/// Where and how the muxd listens: path, permission bits, group.
public struct SocketSpec: Sendable, Hashable {
    public var path: String
    /// Permission bits of the socket file; 0600 by default, as the reference.
    public var mode: mode_t
    /// Group to give the socket file (with a mode such as 0660 lets that group connect).
    public var group: String?

    public init(path: String, mode: mode_t = 0o600, group: String? = nil) {
        self.path = path
        self.mode = mode
        self.group = group
    }
}

/// Binding a Unix socket path safely.
enum SocketListener {
    /// Makes `path` free to bind: nothing there, or a stale socket (a socket file nobody
    /// accepts on, left by a crashed daemon), which is removed. Anything else is refused:
    /// a live socket means another daemon serves it; a regular file is not ours to delete.
    static func prepare(_ path: String) throws(MuxdError) {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            guard errno == ENOENT else {
                throw .socket(path: path, reason: String(cString: strerror(errno)))
            }
            return
        }
        guard info.st_mode & S_IFMT == S_IFSOCK else {
            throw .socketInUse(path: path, reason: "exists and is not a socket; refusing to replace it")
        }
        if isAccepting(path) {
            throw .socketInUse(path: path, reason: "another process is serving this socket (is cryptech-muxd already running?)")
        }
        guard unlink(path) == 0 || errno == ENOENT else {
            throw .socket(path: path, reason: "cannot remove stale socket: \(String(cString: strerror(errno)))")
        }
    }

    /// True when something accepts connections on the socket at `path`.
    static func isAccepting(_ path: String) -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        return result == 0
    }

    /// Applies mode and group to a freshly bound socket file.
    static func applyPermissions(_ spec: SocketSpec) throws(MuxdError) {
        if let group = spec.group {
            guard let entry = getgrnam(group) else {
                throw .configuration("group '\(group)' for \(spec.path) does not exist")
            }
            guard chown(spec.path, uid_t.max, entry.pointee.gr_gid) == 0 else {
                throw .socket(path: spec.path, reason: "chown to group \(group): \(String(cString: strerror(errno)))")
            }
        }
        guard chmod(spec.path, spec.mode) == 0 else {
            throw .socket(path: spec.path, reason: "chmod \(String(spec.mode, radix: 8)): \(String(cString: strerror(errno)))")
        }
    }
}
