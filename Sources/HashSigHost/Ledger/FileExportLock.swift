import DurableFile

/// Exclusive use of a ledger file for one export run: a lock on `<ledger>.lock`, released by
/// ``release()``, on deinit, or by the kernel when the process dies (so a killed export never
/// leaves the ledger locked). A process holds an `flock` as long as it lives, paused or not,
/// so this lock cannot be lost while held.
public final class FileExportLock: LedgerExportLock {
    /// The lock file, `<ledger>.lock`, beside the ledger.
    public let path: String
    private let file: LockedFile

    init(ledgerPath: String) throws(LedgerError) {
        path = ledgerPath + ".lock"
        do {
            file = try LockedFile(path: path, wait: .never)
        } catch {
            if case .busy = error.reason { throw .busy(path: ledgerPath, holder: nil) }
            throw .file(error)
        }
    }

    /// Never throws: an `flock` is held as long as the process lives, so it cannot be lost while
    /// an export runs.
    public func ensureHeld() throws(LedgerError) {}

    /// Unlocks and closes the lock file; the next export may start.
    public func release() async {
        file.release()
    }
}
