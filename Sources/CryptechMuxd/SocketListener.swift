#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import NIOPosix

/// Where and how the muxd listens: path, permission bits, group.
public struct SocketSpec: Sendable, Hashable {
    /// The socket file's path.
    public var path: String
    /// Permission bits of the socket file; 0600 by default, as the reference.
    public var mode: mode_t
    /// Group to give the socket file (with a mode such as 0660 lets that group connect).
    public var group: String?

    /// - Parameters:
    ///   - path: the socket file's path.
    ///   - mode: its permission bits; 0600 (owner only) by default.
    ///   - group: the group to give it, if any.
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
        guard var address = unixAddress(path) else { return false }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        return result == 0
    }

    /// A listening socket at `spec.path` that no one could reach with looser permissions than
    /// `spec` gives, at any moment; the caller owns the returned descriptor (non-blocking,
    /// close-on-exec) and the socket file.
    /// - Throws: ``MuxdError``; nothing is left open or bound then.
    static func listen(_ spec: SocketSpec, backlog: Int32) throws(MuxdError) -> Int32 {
        let fd = try bound(spec)
        guard Glibc.listen(fd, backlog) == 0 else {
            let error = MuxdError.socket(path: spec.path, reason: "listen: \(String(cString: strerror(errno)))")
            close(fd)
            unlink(spec.path)
            throw error
        }
        return fd
    }

    /// A socket bound at `spec.path` with the group and mode of `spec`, not yet listening.
    ///
    /// Why this order, and no `umask` (which is process-wide, and so wrong in a library): the
    /// mode is set on the socket before `bind` (Linux creates the file with the socket's mode,
    /// less the umask), so the file never appears looser than asked; the group and the exact
    /// mode are applied before ``listen(_:backlog:)``, and until then a `connect` is refused.
    /// A path in a directory that others may write without the sticky bit cannot be protected
    /// by any order: whoever can rename the file can put their own socket there (the systemd
    /// unit uses a directory of the daemon's own).
    /// - Throws: ``MuxdError``; nothing is left open or bound then.
    static func bound(_ spec: SocketSpec) throws(MuxdError) -> Int32 {
        let path = spec.path
        func failure(_ what: String) -> MuxdError { .socket(path: path, reason: "\(what): \(String(cString: strerror(errno)))") }
        guard var address = unixAddress(path) else {
            throw .socket(path: path, reason: "longer than a Unix socket path may be (\(MemoryLayout<sockaddr_un>.size - 3) bytes)")
        }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { throw failure("socket") }
        guard fchmod(fd, spec.mode) == 0 else {
            let error = failure("fchmod \(String(spec.mode, radix: 8))")
            close(fd)
            throw error
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard result == 0 else {
            let error = failure("bind")
            close(fd)
            throw error
        }
        do throws(MuxdError) {
            try applyPermissions(spec)
        } catch {
            close(fd)
            unlink(path)
            throw error
        }
        return fd
    }

    /// The address of `path`; `nil` when it does not fit `sun_path` with its terminating zero.
    private static func unixAddress(_ path: String) -> sockaddr_un? {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return nil }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        return address
    }

    /// Gives the socket file just bound at `spec.path` its group and exact mode (the umask may
    /// have taken bits off), after checking it is still the socket this process made.
    private static func applyPermissions(_ spec: SocketSpec) throws(MuxdError) {
        var info = stat()
        guard lstat(spec.path, &info) == 0, info.st_mode & S_IFMT == S_IFSOCK, info.st_uid == geteuid() else {
            throw .socket(path: spec.path, reason: "the socket file was replaced while it was being set up")
        }
        if let group = spec.group {
            guard let entry = getgrnam(group) else {
                throw .configuration("group '\(group)' for \(spec.path) does not exist")
            }
            guard lchown(spec.path, uid_t.max, entry.pointee.gr_gid) == 0 else {
                throw .socket(path: spec.path, reason: "chown to group \(group): \(String(cString: strerror(errno)))")
            }
        }
        guard chmod(spec.path, spec.mode) == 0 else {
            throw .socket(path: spec.path, reason: "chmod \(String(spec.mode, radix: 8)): \(String(cString: strerror(errno)))")
        }
    }
}
