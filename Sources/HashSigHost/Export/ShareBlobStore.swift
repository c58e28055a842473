import DurableFile

/// Wrapped shares between `exported` and `verified`, so that an export run killed after the
/// blob came back can still import it: `<ledger>.blobs/<transfer>.blob`, mode 0600, written
/// atomically (temporary file, fsync, rename, fsync of the directory).
public struct ShareBlobStore: Sendable {
    public let directory: String

    /// The store that goes with a ledger file.
    public init(ledgerPath: String) {
        directory = ledgerPath + ".blobs"
    }

    public func path(of transfer: String) -> String { directory + "/" + transfer + ".blob" }

    /// Stores the blob of `transfer`.
    /// - Throws: ``LedgerError/file(_:)``.
    public func store(_ share: WrappedShare, transfer: String) throws(LedgerError) {
        try durable { () throws(DurableFileError) in
            try DurableFile.makeDirectories(directory)
            try DurableFile.replace(path(of: transfer), with: share.fileBytes, mode: .ownerReadWrite)
        }
    }

    /// The blob of `transfer`; `nil` when there is none.
    /// - Throws: ``LedgerError`` for an unreadable or malformed file.
    public func load(transfer: String) throws(LedgerError) -> WrappedShare? {
        let path = path(of: transfer)
        // A wrapped share is a PKCS#8 key and a wrapped KEK: kilobytes.
        guard let bytes = try durable({ () throws(DurableFileError) in try DurableFile.read(path, limit: 1 << 20) }) else { return nil }
        guard let share = WrappedShare(fileBytes: bytes) else {
            throw .malformedLine(path: path, line: 1, reason: "not a wrapped share")
        }
        return share
    }

    /// Removes the blob of `transfer` (absent is fine).
    public func remove(transfer: String) throws(LedgerError) {
        try durable { () throws(DurableFileError) in try DurableFile.remove(path(of: transfer)) }
    }
}
