/// The whole ledger in two values: how many records it holds and the SHA-256 of its last line.
///
/// Each line carries the SHA-256 of the line before it, so the last line's digest commits to
/// every byte before it; but nothing in the file commits to the last line itself, nor to where
/// the file ends. A head kept or signed outside the file (``LedgerCheckpoint``) does.
public struct LedgerHead: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Records 1…`records`.
    public var records: Int
    /// SHA-256 of line `records` (zeros for an empty ledger).
    public var digest: SHA256Digest

    /// - Parameters:
    ///   - records: how many records the ledger holds.
    ///   - digest: SHA-256 of the last record's line.
    public init(records: Int, digest: SHA256Digest) {
        self.records = records
        self.digest = digest
    }

    /// The record count and the digest in hex, as `cryptech share status` prints them.
    public var description: String { "\(records) records, digest \(digest.hex)" }

    /// What a checkpoint key signs (ECDSA takes a digest): SHA-256 of a fixed tag, the record
    /// count (8 bytes, big-endian) and ``digest``. The tag keeps a checkpoint signature from
    /// being taken for a signature over anything else the key might ever sign.
    public var signedDigest: [UInt8] {
        let count = UInt64(records)
        let countBytes = (0..<8).map { UInt8(truncatingIfNeeded: count >> (56 - 8 * $0)) }
        return SHA256Digest(of: Array("cryptech share ledger head v1\0".utf8) + countBytes + digest.bytes).bytes
    }
}

extension ShareLedger {
    /// The head the ledger had when it held `count` records: line `count + 1` carries that
    /// line's digest as its `prev`. `nil` beyond the ledger's end.
    public func head(at count: Int) -> LedgerHead? {
        guard count >= 0 else { return nil }
        let all = records
        if count < all.count { return LedgerHead(records: count, digest: all[count].previous) }
        let now = head
        if now.records == count { return now }
        // Another process appended between the two reads: the records now hold it.
        let again = records
        return count < again.count ? LedgerHead(records: count, digest: again[count].previous) : nil
    }

    /// The SHA-256 of the first line: which ledger a board's checkpoint key belongs to.
    /// `nil` for an empty ledger.
    public var identity: SHA256Digest? { head(at: 1)?.digest }
}
