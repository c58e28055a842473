import CryptechHex
import DurableFile

/// Wrapped shares of a file ledger: `<ledger>.blobs/<I>-<T1 prefix>-<transfer>.blob`, mode 0600,
/// written atomically (temporary file, fsync, rename, fsync of the directory).
/// The key is in the name because transfer ids count per key: named by transfer alone, one
/// key's unfinished T1 would be overwritten by another key's T1.
public struct FileShareBlobStore: ShareBlobStore {
    /// `<ledger>.blobs`, the directory the blobs are kept in; created on the first store.
    public let directory: String

    /// The store that goes with a ledger file.
    public init(ledgerPath: String) {
        directory = ledgerPath + ".blobs"
    }

    /// The blob file's path, for messages.
    public func location(key: KeyIdentity, transfer: String) -> String {
        directory + "/" + Self.blobName(key: key, transfer: transfer)
    }

    /// The key's I and the start of T1 tell keys apart; no path separator can appear.
    public static func blobName(key: KeyIdentity, transfer: String) -> String {
        Hex.encode(key.identifier) + "-" + Hex.encode(key.root.prefix(8)) + "-" + transfer + ".blob"
    }

    /// Writes the blob atomically and durably (mode 0600) before returning, so an `exported`
    /// record never names a blob that a crash could lose.
    /// - Throws: ``LedgerError/file(_:)`` when the directory or file cannot be written.
    public func store(_ share: WrappedShare, key: KeyIdentity, transfer: String) async throws(LedgerError) {
        try durable { () throws(DurableFileError) in
            try DurableFile.makeDirectories(directory)
            try DurableFile.replace(location(key: key, transfer: transfer), with: share.fileBytes, mode: .ownerReadWrite)
        }
    }

    /// The blob of `transfer`, or `nil` when there is no file for it.
    /// - Throws: ``LedgerError/malformedLine(path:line:reason:)`` for a file that is not a wrapped
    ///   share; ``LedgerError/file(_:)`` when it cannot be read.
    public func load(key: KeyIdentity, transfer: String) async throws(LedgerError) -> WrappedShare? {
        let path = location(key: key, transfer: transfer)
        // A wrapped share is a PKCS#8 key and a wrapped KEK: kilobytes.
        guard let bytes = try durable({ () throws(DurableFileError) in try DurableFile.read(path, limit: 1 << 20) }) else { return nil }
        guard let share = WrappedShare(fileBytes: bytes) else {
            throw .malformedLine(path: path, line: 1, reason: "not a wrapped share")
        }
        return share
    }

    /// Deletes the blob file (absent is fine), durably.
    /// - Throws: ``LedgerError/file(_:)`` when it cannot be removed.
    public func remove(key: KeyIdentity, transfer: String) async throws(LedgerError) {
        try durable { () throws(DurableFileError) in try DurableFile.remove(location(key: key, transfer: transfer)) }
    }
}
