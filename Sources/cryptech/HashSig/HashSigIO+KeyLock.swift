#if canImport(Glibc)
import Glibc
#endif
import Foundation

extension HashSigIO {
    /// How long a second process waits for a key file another one is using.
    static let keyLockWait: Duration = .seconds(30)

    /// Runs `body` holding the key file's lock, so that no two processes read, sign with and
    /// save one software key at once: two such runs would read the same state and both sign
    /// with its next one-time key.
    ///
    /// The lock is `flock` on a sidecar file, `KEY.lock` beside the key (mode 0600, never
    /// removed): the key file itself is replaced by a rename at every save, so a lock on it
    /// would hold the old inode while the next process opens the new one. A process that dies
    /// holding the lock releases it with its descriptors.
    /// - Throws: ``Failure`` when the lock file cannot be opened, or another process holds the
    ///   lock for longer than ``keyLockWait``.
    static func withKeyFileLock<T>(_ path: String, _ body: () throws -> T) throws -> T {
        let lockPath = URL(fileURLWithPath: path).resolvingSymlinksInPath().path + ".lock"
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw Failure.failed("cannot open the lock file \(lockPath): \(errnoText())") }
        defer { close(fd) }
        let clock = ContinuousClock()
        let deadline = clock.now + keyLockWait
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else { throw Failure.failed("cannot lock \(lockPath): \(errnoText())") }
            guard clock.now < deadline else {
                throw Failure.failed("key file \(path) is in use by another process (its lock \(lockPath) has been held for \(keyLockWait))")
            }
            usleep(2000)
        }
        return try body()
    }
}
