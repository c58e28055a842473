/// Where a ledger's records are kept: a JSON-lines file on this host (``FileLedgerStore``, the
/// default) or a store shared by several hosts (the etcd store, module `EtcdLedger`).
///
/// ``ShareLedger`` keeps the history's meaning — the event model, the state machine, the hash
/// chain — and asks a store only for bytes: the records as JSON lines, read whole, and appended
/// by compare-and-swap on the store's version. Two writers that read the same version cannot
/// both append after it; the loser reads again and re-checks its events against what won.
public protocol LedgerStore: Sendable {
    /// The store's name in messages: a path or an etcd location (never credentials).
    var location: String { get }

    /// Every record, as JSON lines each ending in a newline, and the version read.
    /// A store that does not exist yet is empty.
    func read() async throws(LedgerError) -> LedgerSnapshot

    /// Appends `lines` (each without its newline) if the store is still at `version`, under
    /// `lock` when one is held: a store whose locks can be lost (leases) refuses the write
    /// once `lock` is no longer held (``LedgerError/lockLost(path:)``).
    /// - Parameters:
    ///   - lines: the new records, each one JSON line without its newline.
    ///   - head: the head after the lines, for stores that keep it apart.
    ///   - version: the version the caller read and built `lines` on.
    ///   - lock: the export lock the caller holds, if any.
    /// - Returns: the version after the append, or `nil` when the store was no longer at
    ///   `version` (nothing written).
    func append(_ lines: [[UInt8]], head: LedgerHead, at version: LedgerVersion,
                under lock: (any LedgerExportLock)?) async throws(LedgerError) -> LedgerVersion?

    /// Takes exclusive use of the ledger for an export run, without waiting.
    /// - Throws: ``LedgerError/busy(path:holder:)`` when another process holds it.
    func lockForExport() async throws(LedgerError) -> any LedgerExportLock

    /// Where wrapped shares wait between `exported` and `verified`.
    var blobs: any ShareBlobStore { get }

    /// The most one ``append(_:head:at:under:)`` may carry. An export appends a few events at
    /// a time; a copy (``ShareLedger/copy(from:to:)``) appends whole ledgers in batches
    /// within it.
    var appendLimit: LedgerAppendLimit { get }
}

extension LedgerStore {
    /// A file takes any number of lines in one write.
    public var appendLimit: LedgerAppendLimit { .unlimited }
}

/// How many lines, and how many bytes of them, one append may carry.
public struct LedgerAppendLimit: Hashable, Sendable {
    /// The most records in one append.
    public var lines: Int
    /// The most bytes of records in one append.
    public var bytes: Int

    /// - Parameters:
    ///   - lines: the most records in one append.
    ///   - bytes: the most bytes of records in one append.
    public init(lines: Int, bytes: Int) {
        self.lines = lines
        self.bytes = bytes
    }

    /// No limit: a file takes any append in one write.
    public static let unlimited = LedgerAppendLimit(lines: .max, bytes: .max)
}

/// A store's version: a file's length, an etcd head key's revision. Opaque outside the store.
public struct LedgerVersion: Hashable, Sendable {
    /// The store's own number: a file's length in bytes, or the etcd head key's mod revision.
    public var value: Int64
    /// - Parameter value: the store's number for this version.
    public init(_ value: Int64) { self.value = value }
}

/// What ``LedgerStore/read()`` returns.
public struct LedgerSnapshot: Sendable {
    /// The records as JSON lines, each with its newline (a cut-short last line is left as it
    /// is, for the parser to report).
    public var bytes: [UInt8]
    /// The version read: what an append must still find for its compare-and-swap to succeed.
    public var version: LedgerVersion

    /// - Parameters:
    ///   - bytes: the records as JSON lines.
    ///   - version: the version they were read at.
    public init(bytes: [UInt8], version: LedgerVersion) {
        self.bytes = bytes
        self.version = version
    }
}

/// Exclusive use of a ledger for one export run.
public protocol LedgerExportLock: Sendable {
    /// Throws ``LedgerError/lockLost(path:)`` when the lock is (or may be) no longer held: the
    /// exporter asks before every board call that changes state, since a board cannot be
    /// fenced the way the store's writes are.
    func ensureHeld() throws(LedgerError)

    /// Gives the lock up (idempotent).
    func release() async
}
