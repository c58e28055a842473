#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Exclusive use of a ledger for one operation (an export run): an `flock` on `<ledger>.lock`,
/// released by ``release()``, on deinit, or by the kernel when the process dies (so a killed
/// export never leaves the ledger locked).
public final class LedgerLock: @unchecked Sendable {
    public let path: String
    private var fd: Int32

    init(ledgerPath: String) throws(LedgerError) {
        path = ledgerPath + ".lock"
        fd = try POSIXFile.openLockFile(path)
        let taken: Bool
        do {
            taken = try POSIXFile.lock(fd: fd, LOCK_EX | LOCK_NB, path: path)
        } catch {
            close(fd)
            throw error
        }
        guard taken else {
            close(fd)
            throw .busy(path: ledgerPath)
        }
    }

    /// Releases the lock (idempotent).
    public func release() {
        if fd >= 0 {
            close(fd)
            fd = -1
        }
    }

    deinit { release() }
}
