import DurableFile
import Foundation

/// The share ledger: an append-only journal of every leaf range a key's boards ever held or
/// gave away (design.md, "Share ledger").
///
/// One JSON object per line, each carrying its sequence number and the SHA-256 of the previous
/// line, so that an edited or damaged file is noticed. Every append is checked against the
/// recorded history first (``KeyLedgerState``): a range can never be planned twice, exported
/// from anywhere but the top of its source, or imported twice. Lines are written with one
/// `write`, then `fsync`; a new file's directory is fsynced too (``DurableFile``). Appends lock
/// the file (a lock that survives `repair` replacing it) and first read whatever other
/// processes appended since.
///
/// Reading stops at any damage and says where: a last line cut short by a crash is reported
/// (``LedgerError/truncatedLastLine(path:line:byteCount:)``), never dropped; ``repair(path:clock:)``
/// sets it aside on a person's request and records that it did.
public final class ShareLedger: @unchecked Sendable {
    /// The journal file.
    public let path: String
    private let clock: @Sendable () -> String
    private let lock = NSLock()
    // Guarded by `lock`.
    private var parsedRecords: [LedgerRecord] = []
    private var lastDigest = SHA256Digest.zero
    private var length = 0
    private var keyStates: [KeyIdentity: KeyLedgerState] = [:]
    private var keyOrder: [KeyIdentity] = []

    /// The largest ledger file read: far beyond any real history (a record is a few hundred
    /// bytes), small enough that a runaway file cannot exhaust memory.
    public static let readLimit = 1 << 30

    /// UTC now, ISO 8601.
    public static let systemClock: @Sendable () -> String = { Date().ISO8601Format() }

    /// Opens a ledger, reading and checking all of it. A missing file is an empty ledger; it
    /// is created by the first append.
    /// - Parameters:
    ///   - path: the journal file.
    ///   - clock: the time written into each record.
    /// - Throws: ``LedgerError`` for damage, contradictions or I/O failures.
    public init(path: String, clock: @escaping @Sendable () -> String = ShareLedger.systemClock) throws(LedgerError) {
        self.path = path
        self.clock = clock
        try lock.withTypedLock { () throws(LedgerError) in
            try reload(bytes: durable { () throws(DurableFileError) in try DurableFile.read(path, limit: Self.readLimit) } ?? [])
        }
    }

    /// Every record, in order.
    public var records: [LedgerRecord] { lock.withLock { parsedRecords } }

    /// How many records the ledger holds and the SHA-256 of the last line.
    public var head: LedgerHead { lock.withLock { LedgerHead(records: parsedRecords.count, digest: lastDigest) } }

    /// The keys, in the order they were registered.
    public var keys: [KeyIdentity] { lock.withLock { keyOrder } }

    /// The recorded state of `key`.
    /// - Throws: ``LedgerError/unknownKey(path:key:)``.
    public func state(of key: KeyIdentity) throws(LedgerError) -> KeyLedgerState {
        guard let state = lock.withLock({ keyStates[key] }) else { throw .unknownKey(path: path, key: key) }
        return state
    }

    /// Reads what other processes appended since.
    /// - Throws: ``LedgerError``.
    public func refresh() throws(LedgerError) {
        try lock.withTypedLock { () throws(LedgerError) in
            try reload(bytes: durable { () throws(DurableFileError) in try DurableFile.read(path, limit: Self.readLimit) } ?? [])
        }
    }

    /// Takes exclusive use of the ledger for an export run.
    /// - Throws: ``LedgerError/busy(path:)`` when another process has it.
    public func lockForExport() throws(LedgerError) -> LedgerLock {
        try LedgerLock(ledgerPath: path)
    }

    /// Appends one event about `key`, after checking it against the history; written and
    /// fsynced before this returns.
    /// - Returns: the record as written.
    /// - Throws: ``LedgerError/inconsistent(path:line:reason:)`` (nothing written) or I/O errors.
    @discardableResult
    public func append(_ event: LedgerEvent, key: KeyIdentity?) throws(LedgerError) -> LedgerRecord {
        try append([event], key: key)[0]
    }

    /// Appends several events about `key` with one write and one fsync: all or none are checked
    /// good before any is written.
    /// - Throws: as ``append(_:key:)``.
    @discardableResult
    public func append(_ events: [LedgerEvent], key: KeyIdentity?) throws(LedgerError) -> [LedgerRecord] {
        try lock.withTypedLock { () throws(LedgerError) -> [LedgerRecord] in
            let file = try durable { () throws(DurableFileError) in try LockedFile(path: path, wait: .forever) }
            defer { file.release() }
            // Another process may have appended since we read (or repaired the file).
            if try durable({ () throws(DurableFileError) in try file.size() }) != length {
                try reload(bytes: durable { () throws(DurableFileError) in try file.readAll(limit: Self.readLimit) })
            }
            var states = keyStates
            var order = keyOrder
            var digest = lastDigest
            var written: [LedgerRecord] = []
            var bytes: [UInt8] = []
            for event in events {
                let record = LedgerRecord(sequence: parsedRecords.count + written.count + 1, previous: digest,
                                          time: clock(), key: key, event: event)
                try Self.fold(record, into: &states, order: &order, path: path)
                let line = LedgerParser.encode(record)
                digest = SHA256Digest(of: line)
                bytes += line
                bytes.append(UInt8(ascii: "\n"))
                written.append(record)
            }
            try durable { () throws(DurableFileError) in try file.append(bytes) }
            parsedRecords += written
            keyStates = states
            keyOrder = order
            lastDigest = digest
            length += bytes.count
            return written
        }
    }

    /// Must hold `lock`.
    private func reload(bytes: [UInt8]) throws(LedgerError) {
        let parsed = try LedgerParser.parse(bytes, path: path)
        var states: [KeyIdentity: KeyLedgerState] = [:]
        var order: [KeyIdentity] = []
        for record in parsed.records {
            try Self.fold(record, into: &states, order: &order, path: path)
        }
        parsedRecords = parsed.records
        lastDigest = parsed.lastDigest
        length = parsed.length
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
