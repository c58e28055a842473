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
    /// - Throws: ``LedgerError/io(path:operation:errno:)``.
    public func store(_ share: WrappedShare, transfer: String) throws(LedgerError) {
        try POSIXFile.makeDirectory(directory)
        try POSIXFile.writeAtomically(share.fileBytes, to: path(of: transfer), mode: 0o600)
    }

    /// The blob of `transfer`; `nil` when there is none.
    /// - Throws: ``LedgerError`` for an unreadable or malformed file.
    public func load(transfer: String) throws(LedgerError) -> WrappedShare? {
        let path = path(of: transfer)
        guard let bytes = try POSIXFile.readAll(path) else { return nil }
        guard let share = WrappedShare(fileBytes: bytes) else {
            throw .malformedLine(path: path, line: 1, reason: "not a wrapped share")
        }
        return share
    }

    /// Removes the blob of `transfer` (absent is fine).
    public func remove(transfer: String) throws(LedgerError) {
        try POSIXFile.remove(path(of: transfer))
    }
}
