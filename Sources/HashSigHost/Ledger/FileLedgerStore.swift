import DurableFile
import Foundation

/// The ledger as a JSON-lines file on this host: the embedded default.
///
/// Appends lock the file (a lock that survives ``ShareLedger/repair(path:clock:)`` replacing
/// it), check that it still has the length last read — the file only grows, so an unchanged
/// length means nobody appended — and write the lines with one `write`, then `fsync`; a new
/// file's directory is fsynced too (`DurableFile`). The export lock is `<ledger>.lock`, held
/// with `flock`, so the kernel releases it when the process dies.
public struct FileLedgerStore: LedgerStore {
    /// The ledger file.
    public let path: String
    /// Wrapped shares in transit, kept in a directory beside the ledger file.
    public let blobs: any ShareBlobStore

    /// The largest ledger file read: far beyond any real history (a record is a few hundred
    /// bytes), small enough that a runaway file cannot exhaust memory.
    public static let readLimit = 1 << 30

    /// - Parameter path: the ledger file; it need not exist yet (a missing file is an empty ledger).
    public init(path: String) {
        self.path = path
        blobs = FileShareBlobStore(ledgerPath: path)
    }

    /// The ledger file's path, for messages.
    public var location: String { path }

    /// The whole file, and its length as the version: the file only grows, so an unchanged length
    /// means nobody appended since.
    /// - Throws: ``LedgerError/file(_:)`` when it cannot be read or is over ``readLimit``.
    public func read() async throws(LedgerError) -> LedgerSnapshot {
        let bytes = try durable { () throws(DurableFileError) in try DurableFile.read(path, limit: Self.readLimit) } ?? []
        return LedgerSnapshot(bytes: bytes, version: LedgerVersion(Int64(bytes.count)))
    }

    /// Appends `lines` in one write and fsyncs them, under the file's lock, if the file still has
    /// the length `version` says: two writers can never both append after the same head.
    /// - Parameters:
    ///   - lines: the new records, each one JSON line without its newline.
    ///   - head: unused; a file's head is its last line.
    ///   - version: the length last read.
    ///   - lock: unused; an `flock` cannot be lost while the process lives.
    /// - Returns: the new length, or `nil` when another writer appended first.
    /// - Throws: ``LedgerError/file(_:)`` when the lock, write or fsync fails.
    public func append(_ lines: [[UInt8]], head: LedgerHead, at version: LedgerVersion,
                       under lock: (any LedgerExportLock)?) async throws(LedgerError) -> LedgerVersion? {
        // Waiting for the file's lock (another writer, a repair) blocks a thread: not one of
        // the few the concurrency runtime has.
        let path = path
        let trace = DurableFile.trace
        let result = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                // The trace is task-local; this thread is no task's.
                continuation.resume(returning: DurableFile.$trace.withValue(trace) {
                    Result { () throws(LedgerError) in try Self.append(lines, to: path, at: version) }
                })
            }
        }
        return try result.get()
    }

    private static func append(_ lines: [[UInt8]], to path: String, at version: LedgerVersion) throws(LedgerError) -> LedgerVersion? {
        let file = try durable { () throws(DurableFileError) in try LockedFile(path: path, wait: .forever) }
        defer { file.release() }
        let length = try durable { () throws(DurableFileError) in try file.size() }
        guard Int64(length) == version.value else { return nil }
        var bytes: [UInt8] = []
        for line in lines {
            bytes += line
            bytes.append(UInt8(ascii: "\n"))
        }
        try durable { () throws(DurableFileError) in try file.append(bytes) }
        return LedgerVersion(Int64(length + bytes.count))
    }

    /// Takes `<ledger>.lock` without waiting.
    /// - Throws: ``LedgerError/busy(path:holder:)`` when another process holds it.
    public func lockForExport() async throws(LedgerError) -> any LedgerExportLock {
        try FileExportLock(ledgerPath: path)
    }
}
