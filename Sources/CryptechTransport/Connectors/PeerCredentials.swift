#if canImport(Glibc)
import Glibc
#endif
import NIOCore

/// Who is on the other end of a connected Unix socket, as the kernel recorded it when the
/// listening socket was created (`SO_PEERCRED`): not something the peer says about itself,
/// so it cannot lie about it.
public struct PeerCredentials: Sendable, Hashable, CustomStringConvertible {
    /// The peer's process id, for messages (a pid can be reused; trust goes by ``uid``).
    public var pid: Int32
    /// The peer's user id: what ``AcceptedPeers`` decides on.
    public var uid: UInt32
    /// The peer's group id.
    public var gid: UInt32

    /// - Parameters:
    ///   - pid: the process id.
    ///   - uid: the user id.
    ///   - gid: the group id.
    public init(pid: Int32, uid: UInt32, gid: UInt32) {
        self.pid = pid
        self.uid = uid
        self.gid = gid
    }

    /// `uid N (name), pid P`, for a refusal message that says who served the socket.
    public var description: String {
        "uid \(uid)\(userName(of: uid).map { " (\($0))" } ?? ""), pid \(pid)"
    }

    /// Linux's `struct ucred` (`pid_t`, `uid_t`, `gid_t`), which Glibc's Swift module does not
    /// export.
    private struct RawCredentials: Sendable {
        var pid: Int32 = 0
        var uid: UInt32 = 0
        var gid: UInt32 = 0
    }

    /// Reads the credentials of the peer of `channel`, a connected Unix stream socket.
    static func read(from channel: any Channel, endpoint: String) async throws(TransportError) -> PeerCredentials {
        guard let provider = channel as? any SocketOptionProvider else {
            throw TransportError(.unsupported, endpoint: endpoint, "cannot read the peer's credentials on this channel")
        }
        do {
            let raw: RawCredentials = try await provider.unsafeGetSocketOption(
                level: SocketOptionLevel(SOL_SOCKET), name: SocketOptionName(SO_PEERCRED)).get()
            return PeerCredentials(pid: raw.pid, uid: raw.uid, gid: raw.gid)
        } catch let error as IOError {
            throw TransportError.system("getsockopt(SO_PEERCRED)", errno: error.errnoCode, endpoint: endpoint)
        } catch {
            throw TransportError(.io, endpoint: endpoint, "cannot read the peer's credentials: \(error)")
        }
    }
}

/// The uid of the account `name`, if there is one.
func userID(named name: String) -> UInt32? {
    withPasswordEntry({ getpwnam_r(name, &$0, $1, $2, &$3) }) { $0.pw_uid }
}

/// The name of the account with uid `uid`, if there is one.
func userName(of uid: UInt32) -> String? {
    withPasswordEntry({ getpwuid_r(uid, &$0, $1, $2, &$3) }) { entry in entry.pw_name.map { String(cString: $0) } } ?? nil
}

/// Looks an account up with a reentrant `getpw*_r` call and reads what is needed from the
/// entry while its strings (which point into the buffer) are valid.
private func withPasswordEntry<T>(
    _ lookUp: (inout passwd, UnsafeMutablePointer<CChar>, Int, inout UnsafeMutablePointer<passwd>?) -> Int32,
    _ read: (passwd) -> T
) -> T? {
    var buffer = [CChar](repeating: 0, count: 4096)
    return buffer.withUnsafeMutableBufferPointer { storage -> T? in
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        guard let base = storage.baseAddress, lookUp(&entry, base, storage.count, &result) == 0, result != nil else { return nil }
        return read(entry)
    }
}
