/// What ``ShareLedger/copy(from:to:)`` did.
public struct LedgerCopy: Hashable, Sendable {
    /// A wrapped share that was copied.
    public struct Blob: Hashable, Sendable {
        /// The key the share is of.
        public var key: KeyIdentity
        /// The transfer it is in flight for.
        public var transfer: String
    }

    /// The source's head, as read and checked.
    public var source: LedgerHead
    /// The destination's head, read back and checked after the copy: equal to ``source``.
    public var destination: LedgerHead
    /// How many appends carried the records (within the destination's
    /// ``LedgerStore/appendLimit``).
    public var batches: Int
    /// The wrapped shares of unfinished transfers, copied so that an export resumes from the copy.
    public var blobs: [Blob]
}

extension ShareLedger {
    /// Copies the ledger in `source` into the empty store `destination` (a file to etcd, etcd
    /// to a file, or any other pair): the very bytes of every record, so the hash chain and
    /// every digest outside it (checkpoints, the ledger's identity on the boards) stay valid;
    /// and the wrapped shares of unfinished transfers, so that `share export --resume`
    /// continues from the copy.
    ///
    /// The source's export lock is held throughout, so no export changes it meanwhile. Shares
    /// go first, then records: a copy cut short leaves either no records (copy again) or every
    /// share its records need, never records whose share is missing (a resume would burn
    /// them). Records go in batches within the destination's ``LedgerStore/appendLimit``, each
    /// a compare-and-swap on its version, so another writer to the destination ends the copy.
    /// Afterwards both sides are read again: the destination must hold the source's bytes,
    /// checked as every read is (the chain, the events), and the source must be unchanged.
    /// - Throws: the source's damage as every read reports it (nothing written);
    ///   ``LedgerError/nothingToCopy(path:)``; ``LedgerError/notEmpty(path:records:)`` (nothing
    ///   written); ``LedgerError/busy(path:holder:)`` while the source is exporting;
    ///   ``LedgerError/copyFailed(path:reason:)``; store errors.
    public static func copy(from source: any LedgerStore, to destination: any LedgerStore) async throws(LedgerError) -> LedgerCopy {
        // Refused before anything is written anywhere, not even the source's lock file (a
        // mistyped source path would otherwise leave one).
        _ = try await readChecked(source)
        _ = try await emptyVersion(of: destination)
        let lock = try await source.lockForExport()
        do {
            let copy = try await copy(lockedSource: source, to: destination)
            await lock.release()
            return copy
        } catch {
            await lock.release()
            throw error
        }
    }

    private static func copy(lockedSource source: any LedgerStore, to destination: any LedgerStore) async throws(LedgerError) -> LedgerCopy {
        let (snapshot, ledger) = try await readChecked(source)
        let empty = try await emptyVersion(of: destination)
        var blobs: [LedgerCopy.Blob] = []
        for key in ledger.keys {
            for transfer in try ledger.state(of: key).orderedTransfers where !transfer.state.isFinished {
                guard let share = try await source.blobs.load(key: key, transfer: transfer.id) else { continue }
                try await destination.blobs.store(share, key: key, transfer: transfer.id)
                blobs.append(LedgerCopy.Blob(key: key, transfer: transfer.id))
            }
        }
        let batches = try await appendInBatches(snapshot.bytes, to: destination, at: empty)

        let written = try await destination.read()
        let copied = try ShareLedger(store: destination, snapshot: written)
        guard written.bytes == snapshot.bytes else {
            throw .copyFailed(path: destination.location,
                              reason: "read back after the copy, it holds \(copied.head), not the source's \(ledger.head)")
        }
        guard try await source.read().bytes == snapshot.bytes else {
            throw .copyFailed(path: source.location, reason: "it changed while being copied (another process wrote to it); "
                              + "the destination holds it as it was: empty the destination and copy again while nothing else uses the source")
        }
        return LedgerCopy(source: ledger.head, destination: copied.head, batches: batches, blobs: blobs)
    }

    /// The source as read, checked as every read is, and not empty.
    private static func readChecked(_ source: any LedgerStore) async throws(LedgerError) -> (LedgerSnapshot, ShareLedger) {
        let snapshot = try await source.read()
        let ledger = try ShareLedger(store: source, snapshot: snapshot)
        guard ledger.head.records > 0 else { throw .nothingToCopy(path: source.location) }
        return (snapshot, ledger)
    }

    /// The version of the empty `destination`.
    private static func emptyVersion(of destination: any LedgerStore) async throws(LedgerError) -> LedgerVersion {
        let existing = try await destination.read()
        guard existing.bytes.isEmpty else {
            throw .notEmpty(path: destination.location,
                            records: try? LedgerParser.parse(existing.bytes, path: destination.location).records.count)
        }
        return existing.version
    }

    /// Appends the lines of `bytes` (checked, each ending in a newline) to the empty
    /// `destination`, as many per append as it takes.
    /// - Returns: how many appends it took.
    private static func appendInBatches(_ bytes: [UInt8], to destination: any LedgerStore,
                                        at empty: LedgerVersion) async throws(LedgerError) -> Int {
        let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast().map { Array($0) }
        let limit = destination.appendLimit
        var version = empty
        var copied = 0
        var copiedBytes = 0
        var batches = 0
        while copied < lines.count {
            // At least one line per batch: a line beyond the byte limit is the store's to refuse.
            var end = copied + 1
            var size = lines[copied].count
            while end < lines.count, end - copied < limit.lines, size + lines[end].count <= limit.bytes {
                size += lines[end].count
                end += 1
            }
            let batch = Array(lines[copied..<end])
            let head = LedgerHead(records: end, digest: SHA256Digest(of: batch[batch.count - 1]))
            let endByte = copiedBytes + size + batch.count
            if let after = try await destination.append(batch, head: head, at: version, under: nil) {
                version = after
            } else {
                // A write the store retried after a lost reply may have landed the first time;
                // anything else means another writer.
                let now = try await destination.read()
                guard now.bytes[...] == bytes[..<endByte] else {
                    throw .copyFailed(path: destination.location, reason: "another process wrote to it during the copy, after \(copied) of \(lines.count) records; "
                                      + "empty it and copy again while nothing else uses it")
                }
                version = now.version
            }
            copied = end
            copiedBytes = endByte
            batches += 1
        }
        return batches
    }
}
