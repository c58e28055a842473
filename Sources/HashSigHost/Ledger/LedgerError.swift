import DurableFile

/// Why the ledger cannot be read or an event cannot be recorded. Every case names the store
/// (`path`: a file, or an etcd location); line numbers count from 1.
public enum LedgerError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Reading or writing a file failed (the error names the file and the step).
    case file(DurableFileError)
    /// The file does not end in a newline: the last write was cut short (a crash or a full
    /// disk). Nothing is dropped silently: `cryptech share repair` sets the bytes aside.
    case truncatedLastLine(path: String, line: Int, byteCount: Int)
    /// The last line is complete but not a valid record (torn or overwritten by the disk).
    case corruptedLastLine(path: String, line: Int, reason: String)
    /// A line before the last is not a valid record.
    case malformedLine(path: String, line: Int, reason: String)
    /// A line's `prev` is not the SHA-256 of the line before it: the file was edited or
    /// damaged.
    case chainBroken(path: String, line: Int)
    /// A line's `seq` is not its line number.
    case sequenceMismatch(path: String, line: Int, found: Int)
    /// A recorded event contradicts the ones before it (read back) or would (on append).
    case inconsistent(path: String, line: Int, reason: String)
    /// Another process is exporting with this ledger (`holder` says which, when the store
    /// knows).
    case busy(path: String, holder: String?)
    /// The export lock was lost while held (its lease ran out: the process was paused or cut
    /// off); nothing more is written under it. `share export --resume` continues, from any host.
    case lockLost(path: String)
    /// The store cannot be reached (no quorum, every member down); nothing was written.
    case unavailable(path: String, reason: String)
    /// The store refused or failed a request.
    case storeFailed(path: String, reason: String)
    /// No such key in the ledger.
    case unknownKey(path: String, key: KeyIdentity)
    /// No such transfer in the ledger.
    case unknownTransfer(path: String, transfer: String)
    /// `repair` was asked for, but the ledger's last line is fine (or the damage is elsewhere).
    case nothingToRepair(path: String)
    /// A copy's destination already holds records (`records`, or `nil` when they do not
    /// even parse): a ledger is copied only into an empty store, never merged or overwritten.
    case notEmpty(path: String, records: Int?)
    /// A copy's source holds no records (a file that does not exist reads as empty).
    case nothingToCopy(path: String)
    /// A copy did not complete as checked: another writer changed a side while it ran, or
    /// what was read back is not what was written.
    case copyFailed(path: String, reason: String)

    /// One line naming the ledger (file or location) and what is wrong, for the operator.
    public var description: String {
        switch self {
        case .file(let error):
            error.description
        case .truncatedLastLine(let path, let line, let count):
            "\(path): line \(line) is cut short (\(count) bytes without a newline); "
                + "run 'cryptech share repair' to set it aside and record that it was"
        case .corruptedLastLine(let path, let line, let reason):
            "\(path): the last line (\(line)) is damaged: \(reason); "
                + "run 'cryptech share repair' to set it aside and record that it was"
        case .malformedLine(let path, let line, let reason):
            "\(path): line \(line) is not a ledger record: \(reason)"
        case .chainBroken(let path, let line):
            "\(path): line \(line) does not carry the SHA-256 of line \(line - 1): the ledger was edited or damaged"
        case .sequenceMismatch(let path, let line, let found):
            "\(path): line \(line) says it is record \(found)"
        case .inconsistent(let path, let line, let reason):
            "\(path): record \(line) contradicts the ledger: \(reason)"
        case .busy(let path, let holder):
            "\(path): another process is exporting with this ledger" + (holder.map { " (\($0))" } ?? "")
        case .lockLost(let path):
            "\(path): the export lock was lost (its lease ran out); nothing more was written. "
                + "Run 'cryptech share export --resume' to continue, from this host or another"
        case .unavailable(let path, let reason):
            "\(path): the ledger store cannot be reached, nothing was written: \(reason)"
        case .storeFailed(let path, let reason):
            "\(path): \(reason)"
        case .unknownKey(let path, let key):
            "\(path): no key \(key)"
        case .unknownTransfer(let path, let transfer):
            "\(path): no transfer \(transfer)"
        case .nothingToRepair(let path):
            "\(path): the last line is intact; nothing to repair"
        case .notEmpty(let path, let records):
            "\(path): already holds " + (records.map { $0 == 1 ? "1 record" : "\($0) records" } ?? "data that is not a ledger")
                + "; a ledger is copied only into an empty store, never merged or overwritten (nothing was written)"
        case .nothingToCopy(let path):
            "\(path): holds no records (a file that does not exist reads as empty); nothing to copy"
        case .copyFailed(let path, let reason):
            "\(path): \(reason)"
        }
    }
}

/// Runs a ``DurableFile`` call, reporting its failure as ``LedgerError/file(_:)``.
func durable<R>(_ body: () throws(DurableFileError) -> R) throws(LedgerError) -> R {
    do {
        return try body()
    } catch {
        throw .file(error)
    }
}
