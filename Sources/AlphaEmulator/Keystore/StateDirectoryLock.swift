#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// An exclusive `flock` on `<state-dir>/lock` for as long as an emulator uses the directory.
///
/// Two emulators on one state directory would each sign with the same hashsig keys from their
/// own copy of the index — reusing one-time keys. The lock makes the second one refuse to
/// start. The kernel drops it when the process dies, even by SIGKILL, so a restart after a
/// crash is never blocked.
///
/// Ownership: the lock owns its descriptor until ``release()``.
final class StateDirectoryLock: Sendable {
    private let descriptor: Mutex<Int32>

    /// - Throws: ``StateFileError`` when the lock file cannot be opened or another process
    ///   holds the lock.
    init(directory: String) throws(StateFileError) {
        let path = directory + "/lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .system("open", path) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let error = errno
            close(fd)
            throw StateFileError(path: directory, reason: error == EWOULDBLOCK
                ? "state directory in use by another emulator" : "flock: \(String(cString: strerror(error)))")
        }
        descriptor = Mutex(fd)
    }

    /// Drops the lock. Idempotent.
    func release() {
        descriptor.withLock { fd in
            if fd >= 0 { close(fd) }
            fd = -1
        }
    }

    deinit { release() }
}
