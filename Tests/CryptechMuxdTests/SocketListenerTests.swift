#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
@testable import CryptechMuxd

/// The socket files of the muxd: at no moment can another user connect with looser
/// permissions than configured, and no process-wide umask is touched to get there.
@Suite struct SocketListenerTests {
    private func directory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("muxd-listen-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    private func connectError(_ path: String) -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8) + [0]) }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        return result == 0 ? 0 : errno
    }

    @Test("Bound, the file already has its group and exact mode, and refuses connections until listen",
          arguments: [mode_t(0o600), 0o660, 0o666])
    func boundBeforeListening(_ mode: mode_t) throws {
        let dir = try directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/rpc.sock"
        let group = try #require(getgrgid(getegid())).pointee.gr_name.map { String(cString: $0) }
        let fd = try SocketListener.bound(SocketSpec(path: path, mode: mode, group: group))
        defer { close(fd) }
        var info = stat()
        #expect(lstat(path, &info) == 0)
        #expect(info.st_mode & S_IFMT == S_IFSOCK)
        // Exactly the mode asked, whatever the umask took off at bind.
        #expect(info.st_mode & 0o777 == mode)
        #expect(info.st_gid == getegid())
        #expect(connectError(path) == ECONNREFUSED)
        #expect(listen(fd, 1) == 0)
        #expect(connectError(path) == 0)
    }

    @Test("A path too long for a Unix socket is a socket error naming it, and nothing is created")
    func pathTooLong() throws {
        let dir = try directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/" + String(repeating: "s", count: 120)
        #expect(throws: MuxdError.socket(path: path, reason: "longer than a Unix socket path may be (107 bytes)")) {
            _ = try SocketListener.listen(SocketSpec(path: path), backlog: 1)
        }
    }

    @Test("A group that does not exist is a configuration error, and the bound file is removed again")
    func unknownGroup() throws {
        let dir = try directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/rpc.sock"
        #expect(throws: MuxdError.configuration("group 'no-such-group-cryptech' for \(path) does not exist")) {
            _ = try SocketListener.listen(SocketSpec(path: path, mode: 0o660, group: "no-such-group-cryptech"), backlog: 1)
        }
        var info = stat()
        #expect(lstat(path, &info) != 0)
    }
}
