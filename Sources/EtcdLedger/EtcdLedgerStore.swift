import EtcdClient
import Foundation
import HashSigHost
import Logging

/// The share ledger kept in etcd, for boards at several hosts or sites: every host reads and
/// appends the same history, and etcd's Raft log keeps it while a majority of members live.
///
/// Keys under the location's prefix `P`:
/// - `P/ledger/records/000000000001`…: one record each, the same JSON line a file ledger holds
///   (so the hash chain and the parser are the same);
/// - `P/ledger/head`: the `LedgerHead` after the last record; its mod revision is the store's
///   `LedgerVersion`;
/// - `P/ledger/export-lock`: the export lock's holder, on the holder's lease (`EtcdExportLock`);
/// - `P/ledger/blobs/…`: wrapped shares between `exported` and `verified` (`EtcdShareBlobStore`).
///
/// An append is one transaction: if the head's mod revision is still the one read (and, under
/// the export lock, the lock key still has the create revision it was taken with), put the new
/// records and the new head. Reads are one transaction too (the head and every record at one
/// revision), and linearizable, like every read of `EtcdClient`.
public final class EtcdLedgerStore: LedgerStore {
    /// The client every read, append and lock of this ledger goes through; shared with the blob
    /// store so both see the same members and session.
    public let client: EtcdClient
    /// The location as `etcd://members/prefix`, for messages: it never holds credentials.
    public let locationDescription: String
    /// The location's key prefix followed by `/ledger/`: every key this store reads or writes
    /// starts with it.
    public let keyPrefix: String
    /// Wrapped shares waiting between `exported` and `verified`, kept under `keyPrefix` + `blobs/`
    /// so they live and die with the ledger that names them.
    public let blobs: any ShareBlobStore
    /// How long an export lock outlives its holder's last keep-alive.
    public let lockTTL: Int64

    /// 15 s: a killed exporter's lock is free again within that; a live one renews it every
    /// 5 s, so a busy machine or one lost request does not lose it.
    public static let defaultLockTTL: Int64 = 15

    /// etcd refuses a transaction of more than 128 operations (its `--max-txn-ops` default;
    /// an append puts its records and the head) and a request of more than 1.5 MiB (its
    /// `--max-request-bytes` default; the gateway carries values in base64, a third larger).
    public var appendLimit: LedgerAppendLimit { LedgerAppendLimit(lines: 127, bytes: 512 << 10) }

    /// - Parameters:
    ///   - location: the members and the key prefix.
    ///   - configuration: TLS, credentials and limits (its endpoints are the location's).
    ///   - lockTTL: seconds an export lock outlives its holder's last keep-alive
    ///     (``defaultLockTTL``).
    ///   - logger: where the etcd client logs (members passed over); nothing by default.
    public init(location: EtcdLocation, configuration: EtcdConfiguration? = nil,
                lockTTL: Int64 = EtcdLedgerStore.defaultLockTTL, logger: Logger = EtcdClient.silentLogger) throws(LedgerError) {
        locationDescription = EtcdLedgerStore.describe(location)
        keyPrefix = location.keyPrefix + "/ledger/"
        self.lockTTL = lockTTL
        do {
            client = try EtcdClient(location: location, base: configuration, logger: logger)
        } catch {
            throw .storeFailed(path: locationDescription, reason: "\(error)")
        }
        blobs = EtcdShareBlobStore(client: client, prefix: keyPrefix + "blobs/", location: locationDescription)
    }

    deinit {
        // The HTTP client must be shut down before it goes away; nothing waits for it.
        let client = client
        Task { await client.shutdown() }
    }

    /// The ledger's name in messages (``locationDescription``).
    public var location: String { locationDescription }

    static func describe(_ location: EtcdLocation) -> String {
        EtcdLocation.scheme + location.endpoints.map(\.description).joined(separator: ",") + location.keyPrefix
    }

    var headKey: String { keyPrefix + "head" }
    var recordsPrefix: String { keyPrefix + "records/" }
    var lockKey: String { keyPrefix + "export-lock" }

    func recordKey(_ sequence: Int) -> String {
        let digits = String(sequence)
        return recordsPrefix + String(repeating: "0", count: max(0, 12 - digits.count)) + digits
    }

    /// Reads the head and every record in one linearizable transaction, so the snapshot is one
    /// revision of the ledger and never a half-finished append.
    /// - Returns: the records as JSON lines and the head's mod revision as the version.
    /// - Throws: `LedgerError.storeFailed` when etcd cannot be reached or the
    ///   head's record count disagrees with the records stored (a writer other than this program).
    public func read() async throws(LedgerError) -> LedgerSnapshot {
        let result = try await etcd { () async throws(EtcdError) in
            try await client.txn(EtcdTransaction(if: [], then: [.get(headKey), .getPrefix(Array(recordsPrefix.utf8))]))
        }
        guard result.replies.count == 2, case .range(let headRange) = result.replies[0],
              case .range(let records) = result.replies[1] else {
            throw .storeFailed(path: location, reason: "etcd answered a read with \(result.replies.count) replies, not 2")
        }
        let head = headRange.keyValues.first
        let recorded = try head.map { kv throws(LedgerError) in try decodeHead(kv.value) }
        guard (recorded?.records ?? 0) == records.keyValues.count, !records.more else {
            throw .storeFailed(path: location, reason: "the head says \(recorded?.records ?? 0) records but \(records.keyValues.count) are stored; "
                               + "something other than this program wrote under \(keyPrefix)")
        }
        var bytes: [UInt8] = []
        for record in records.keyValues {
            bytes += record.value
            bytes.append(UInt8(ascii: "\n"))
        }
        return LedgerSnapshot(bytes: bytes, version: LedgerVersion(head?.modRevision ?? 0))
    }

    /// Appends `lines` and moves the head in one transaction that holds only if the head's mod
    /// revision is still `version` and, under an export lock, the lock's fence still holds: two
    /// hosts can never both extend the chain from the same head, so a share is recorded once.
    /// - Parameters:
    ///   - lines: the new records, each one JSON line without its newline.
    ///   - head: the head after `lines`.
    ///   - version: the head revision the caller read.
    ///   - lock: the export lock held, if any; its fence goes into the transaction.
    /// - Returns: the revision after the append, or `nil` when another writer moved the head first.
    /// - Throws: `LedgerError.lockLost` when the lock's lease expired and its key is gone
    ///   or another holder's; `LedgerError.storeFailed` for more lines than
    ///   ``appendLimit`` allows or when etcd cannot be reached.
    public func append(_ lines: [[UInt8]], head: LedgerHead, at version: LedgerVersion,
                       under lock: (any LedgerExportLock)?) async throws(LedgerError) -> LedgerVersion? {
        guard lines.count <= appendLimit.lines else {
            throw .storeFailed(path: location, reason: "\(lines.count) events in one append; etcd takes at most \(appendLimit.lines)")
        }
        let fence = (lock as? EtcdExportLock)?.held.fence
        let first = head.records - lines.count + 1
        var writes: [EtcdOperation] = lines.enumerated().map { .put(recordKey(first + $0.offset), $0.element) }
        writes.append(.put(headKey, encodeHead(head)))
        let transaction = EtcdTransaction(
            if: [EtcdCompare(headKey, .modRevision(version.value))] + (fence.map { [$0] } ?? []),
            then: writes,
            else: [.get(lockKey)]
        )
        let result = try await etcd { () async throws(EtcdError) in try await client.txn(transaction) }
        if result.succeeded { return LedgerVersion(result.revision) }
        if let fence, case .range(let range)? = result.replies.first,
           range.keyValues.first?.createRevision != fence.createRevision {
            throw .lockLost(path: location)
        }
        return nil
    }

    /// Takes the ledger's export lock on a fresh lease, kept alive while it is held, without
    /// waiting for a holder to let go.
    /// - Throws: `LedgerError.busy` when another process holds it.
    public func lockForExport() async throws(LedgerError) -> any LedgerExportLock {
        try await EtcdExportLock.acquire(store: self)
    }

    func encodeHead(_ head: LedgerHead) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Encoding our own Codable value cannot fail.
        return Array(try! encoder.encode(head))
    }

    func decodeHead(_ bytes: [UInt8]) throws(LedgerError) -> LedgerHead {
        do {
            return try JSONDecoder().decode(LedgerHead.self, from: Data(bytes))
        } catch {
            throw .storeFailed(path: location, reason: "\(headKey) is not a ledger head: \(error)")
        }
    }

    func etcd<T>(_ body: () async throws(EtcdError) -> T) async throws(LedgerError) -> T {
        try await etcdCall(location: location, body)
    }
}

extension EtcdCompare {
    /// The create revision a fence compares against.
    var createRevision: Int64? {
        if case .createRevision(let revision) = field { return revision }
        return nil
    }
}
