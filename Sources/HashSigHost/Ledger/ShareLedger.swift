import DurableFile
import Foundation

/// The share ledger: an append-only journal of every leaf range a key's boards ever held or
/// gave away (design.md, "Share ledger"), kept in a ``LedgerStore`` (a file on this host, or
/// etcd shared by several).
///
/// One JSON object per record, each carrying its sequence number and the SHA-256 of the
/// previous record's line, so that an edited or damaged ledger is noticed. Every append is
/// checked against the recorded history first (``KeyLedgerState``): a range can never be
/// planned twice, exported from anywhere but the top of its source, or imported twice. An
/// append is a compare-and-swap on the store's version: when another process (on this host or
/// another) appended first, the ledger reads what it wrote and checks the events again against
/// it, so two writers never both extend the chain from the same head.
///
/// Reading stops at any damage and says where: a last line cut short by a crash is reported
/// (``LedgerError/truncatedLastLine(path:line:byteCount:)``), never dropped; ``repair(path:clock:)``
/// sets it aside on a person's request and records that it did.
public final class ShareLedger: @unchecked Sendable {
    /// Where the records are kept.
    public let store: any LedgerStore
    private let clock: @Sendable () -> String
    private let lock = NSLock()
    // Guarded by `lock`.
    private var parsedRecords: [LedgerRecord] = []
    private var lastDigest = SHA256Digest.zero
    private var version = LedgerVersion(0)
    private var keyStates: [KeyIdentity: KeyLedgerState] = [:]
    private var keyOrder: [KeyIdentity] = []
    private var exportLock: (any LedgerExportLock)?

    /// The largest ledger file read (``FileLedgerStore/readLimit``).
    public static let readLimit = FileLedgerStore.readLimit

    /// UTC now, ISO 8601.
    public static let systemClock: @Sendable () -> String = { Date().ISO8601Format() }

    /// Opens a ledger, reading and checking all of it. An empty store is an empty ledger.
    /// - Parameters:
    ///   - store: where the records are kept.
    ///   - clock: the time written into each record.
    /// - Throws: ``LedgerError`` for damage, contradictions or store failures.
    public convenience init(store: any LedgerStore, clock: @escaping @Sendable () -> String = ShareLedger.systemClock) async throws(LedgerError) {
        try self.init(store: store, snapshot: try await store.read(), clock: clock)
    }

    /// A ledger as `snapshot` holds it, checked as every read is (``copy(from:to:)`` keeps
    /// the very bytes it checked).
    init(store: any LedgerStore, snapshot: LedgerSnapshot, clock: @escaping @Sendable () -> String = ShareLedger.systemClock) throws(LedgerError) {
        self.store = store
        self.clock = clock
        try lock.withTypedLock { () throws(LedgerError) in try install(snapshot) }
    }

    /// Opens the ledger file at `path` (created by the first append).
    public convenience init(path: String, clock: @escaping @Sendable () -> String = ShareLedger.systemClock) async throws(LedgerError) {
        try await self.init(store: FileLedgerStore(path: path), clock: clock)
    }

    /// Where the ledger is, for messages: its file, or its etcd location.
    public var path: String { store.location }

    /// Every record, in order.
    public var records: [LedgerRecord] { lock.withLock { parsedRecords } }

    /// How many records the ledger holds and the SHA-256 of the last line.
    public var head: LedgerHead { lock.withLock { LedgerHead(records: parsedRecords.count, digest: lastDigest) } }

    /// The keys, in the order they were registered.
    public var keys: [KeyIdentity] { lock.withLock { keyOrder } }

    /// The recorded state of `key`, as last read or written.
    /// - Throws: ``LedgerError/unknownKey(path:key:)``.
    public func state(of key: KeyIdentity) throws(LedgerError) -> KeyLedgerState {
        guard let state = lock.withLock({ keyStates[key] }) else { throw .unknownKey(path: path, key: key) }
        return state
    }

    /// Reads what other processes appended since (linearizably, on a shared store): call it
    /// before deciding anything from ``state(of:)``.
    /// - Throws: ``LedgerError``.
    public func refresh() async throws(LedgerError) {
        let snapshot = try await store.read()
        try lock.withTypedLock { () throws(LedgerError) in try install(snapshot) }
    }

    /// Takes exclusive use of the ledger for an export run, without waiting. Until
    /// ``releaseExportLock()``, every append through this ledger is made under the lock: a
    /// store whose lock can be lost (an etcd lease) refuses it once lost.
    /// - Throws: ``LedgerError/busy(path:holder:)`` when another process has it.
    public func lockForExport() async throws(LedgerError) {
        let held = try await store.lockForExport()
        let earlier = lock.withLock { () -> (any LedgerExportLock)? in
            defer { exportLock = held }
            return exportLock
        }
        await earlier?.release()
    }

    /// Gives the export lock up (nothing when none is held).
    public func releaseExportLock() async {
        let held = lock.withLock { () -> (any LedgerExportLock)? in
            defer { exportLock = nil }
            return exportLock
        }
        await held?.release()
    }

    /// Throws ``LedgerError/lockLost(path:)`` when the export lock is taken but may no longer
    /// be held: asked before a board call that changes state, which the store cannot fence.
    public func ensureExportLockHeld() throws(LedgerError) {
        try lock.withLock { exportLock }?.ensureHeld()
    }

    /// Appends one event about `key`, after checking it against the history; durable in the
    /// store before this returns.
    /// - Returns: the record as written.
    /// - Throws: ``LedgerError/inconsistent(path:line:reason:)`` (nothing written) or store errors.
    @discardableResult
    public func append(_ event: LedgerEvent, key: KeyIdentity?) async throws(LedgerError) -> LedgerRecord {
        try await append([event], key: key)[0]
    }

    /// Appends several events about `key` at once: all or none are checked good before any is
    /// written, and they are written in one store operation.
    /// - Throws: as ``append(_:key:)``.
    @discardableResult
    public func append(_ events: [LedgerEvent], key: KeyIdentity?) async throws(LedgerError) -> [LedgerRecord] {
        for _ in 0..<Self.appendAttempts {
            let (base, pending) = try lock.withTypedLock { () throws(LedgerError) in
                (version, try prepare(events, key: key))
            }
            let held = lock.withLock { exportLock }
            if let after = try await store.append(pending.lines, head: pending.head, at: base, under: held) {
                lock.withLock {
                    // Unless this ledger has read past it meanwhile (its read then holds these).
                    guard parsedRecords.count == pending.base else { return }
                    parsedRecords += pending.records
                    keyStates = pending.states
                    keyOrder = pending.order
                    lastDigest = pending.head.digest
                    version = after
                }
                return pending.records
            }
            // Another writer got there first: read what it wrote, then check the events again.
            try await refresh()
            // A write retried by the store after a lost reply may have landed the first time:
            // the very lines are then in the ledger.
            if wasWritten(pending) { return pending.records }
        }
        // Others kept winning, or the store went back to fewer records than this ledger read
        // (cut back or replaced): either way a person should look.
        throw .storeFailed(path: path, reason: "the ledger changed under every one of \(Self.appendAttempts) attempts to append; "
                           + "nothing was written (was it cut back or replaced?)")
    }

    /// Appends retried after another writer won, before giving up.
    static let appendAttempts = 64

    /// Records, lines and states for `events` on top of the ledger as read. Must hold `lock`.
    private func prepare(_ events: [LedgerEvent], key: KeyIdentity?) throws(LedgerError) -> PendingAppend {
        var pending = PendingAppend(base: parsedRecords.count, states: keyStates, order: keyOrder)
        var digest = lastDigest
        for event in events {
            let record = LedgerRecord(sequence: pending.base + pending.records.count + 1, previous: digest,
                                      time: clock(), key: key, event: event)
            try Self.fold(record, into: &pending.states, order: &pending.order, path: path)
            let line = LedgerParser.encode(record)
            digest = SHA256Digest(of: line)
            pending.lines.append(line)
            pending.records.append(record)
        }
        pending.head = LedgerHead(records: pending.base + pending.records.count, digest: digest)
        return pending
    }

    private func wasWritten(_ pending: PendingAppend) -> Bool {
        lock.withLock {
            // Equal records encode to equal lines (each carries its predecessor's digest).
            parsedRecords.count >= pending.head.records
                && Array(parsedRecords[pending.base..<pending.head.records]) == pending.records
        }
    }

    private struct PendingAppend {
        var base: Int
        var states: [KeyIdentity: KeyLedgerState]
        var order: [KeyIdentity]
        var records: [LedgerRecord] = []
        var lines: [[UInt8]] = []
        var head = LedgerHead(records: 0, digest: .zero)
    }

    /// Takes `snapshot` as the ledger, unless this ledger already holds more (a read that
    /// raced with a newer one). Must hold `lock`.
    private func install(_ snapshot: LedgerSnapshot) throws(LedgerError) {
        let parsed = try LedgerParser.parse(snapshot.bytes, path: path)
        guard parsed.records.count >= parsedRecords.count else { return }
        var states: [KeyIdentity: KeyLedgerState] = [:]
        var order: [KeyIdentity] = []
        for record in parsed.records {
            try Self.fold(record, into: &states, order: &order, path: path)
        }
        parsedRecords = parsed.records
        lastDigest = parsed.lastDigest
        version = snapshot.version
        keyStates = states
        keyOrder = order
    }

    private static func fold(_ record: LedgerRecord, into states: inout [KeyIdentity: KeyLedgerState],
                             order: inout [KeyIdentity], path: String) throws(LedgerError) {
        do throws(LedgerInconsistency) {
            switch (record.key, record.event) {
            case (nil, .repaired), (nil, .checkpoint):
                return
            case (nil, _):
                throw LedgerInconsistency("a \(record.event.name) record must name its key")
            case (let key?, .keyRegistered(let registration)):
                guard states[key] == nil else { throw LedgerInconsistency("key \(key.shortDescription) is already registered") }
                states[key] = try KeyLedgerState(key: key, registration: registration)
                order.append(key)
            case (let key?, let event):
                guard var state = states[key] else { throw LedgerInconsistency("key \(key.shortDescription) is not registered") }
                try state.apply(event)
                states[key] = state
            }
        } catch {
            throw .inconsistent(path: path, line: record.sequence, reason: error.reason)
        }
    }

    /// Sets aside a damaged last line (cut short or unreadable) so the ledger can be used again:
    /// rewrites the file atomically (temporary file, fsync, rename, fsync of the directory) as
    /// the intact lines plus a `repaired` record holding the damaged bytes' count, digest and
    /// first bytes in hex (``SetAsideBytes``). Writers waiting for the ledger meanwhile append to
    /// the repaired file, not the replaced one.
    ///
    /// Damage anywhere but the last line is not repaired: a person must look.
    /// - Returns: the repair record.
    /// - Throws: ``LedgerError/nothingToRepair(path:)``, the damage error when it is not on the
    ///   last line, I/O errors.
    @discardableResult
    public static func repair(path: String, clock: @Sendable () -> String = ShareLedger.systemClock) throws(LedgerError) -> LedgerRepair {
        let file = try durable { () throws(DurableFileError) in try LockedFile(path: path, wait: .forever) }
        defer { file.release() }
        let bytes = try durable { () throws(DurableFileError) in try file.readAll(limit: readLimit) }
        let damage: LedgerParser.Damage
        switch LedgerParser.scan(bytes, path: path) {
        case .success: throw .nothingToRepair(path: path)
        case .failure(let failure): damage = failure.damage
        }
        switch damage.error {
        case .truncatedLastLine, .corruptedLastLine: break
        default: throw damage.error
        }
        let intact = Array(bytes[..<damage.offset])
        let parsed = try LedgerParser.parse(intact, path: path)
        let repair = LedgerRepair(line: damage.line, setAside: SetAsideBytes(bytes[damage.offset...]), reason: "\(damage.error)")
        let record = LedgerRecord(sequence: damage.line, previous: parsed.lastDigest, time: clock(), key: nil,
                                  event: .repaired(repair))
        try durable { () throws(DurableFileError) in
            try file.replaceContents(with: intact + LedgerParser.encode(record) + [UInt8(ascii: "\n")])
        }
        return repair
    }
}

extension NSLock {
    /// `withLock` that keeps a typed error.
    func withTypedLock<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
        lock()
        defer { unlock() }
        return try body()
    }
}
