import DurableFile

/// Exclusive use of a ledger for one operation (an export run): a lock on `<ledger>.lock`,
/// released by ``release()``, on deinit, or by the kernel when the process dies (so a killed
/// export never leaves the ledger locked).
public final class LedgerLock: Sendable {
    public let path: String
    private let file: LockedFile

    init(ledgerPath: String) throws(LedgerError) {
        path = ledgerPath + ".lock"
        do {
            file = try LockedFile(path: path, wait: .never)
        } catch {
            if case .busy = error.reason { throw .busy(path: ledgerPath) }
            throw .file(error)
        }
    }

    /// Releases the lock (idempotent).
    public func release() {
        file.release()
    }
}
