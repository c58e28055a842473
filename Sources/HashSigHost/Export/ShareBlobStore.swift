/// Where wrapped shares wait between `exported` and `verified`, so that an export run killed
/// after the blob came back can still import it — from this host or, with a shared ledger
/// store, from another. Blobs are named by key and transfer (transfer ids count per key).
///
/// A wrapped share is the share's private key under a KEK that only the destination board's
/// KEKEK unwraps; stores still keep it from other users (a 0600 file, an etcd with access
/// control) and delete it once verified.
public protocol ShareBlobStore: Sendable {
    /// Stores the blob of `transfer` durably before returning.
    func store(_ share: WrappedShare, key: KeyIdentity, transfer: String) async throws(LedgerError)
    /// The blob of `transfer`; `nil` when there is none.
    func load(key: KeyIdentity, transfer: String) async throws(LedgerError) -> WrappedShare?
    /// Removes the blob of `transfer` (absent is fine).
    func remove(key: KeyIdentity, transfer: String) async throws(LedgerError)
    /// Where the blob of `transfer` is kept, for messages.
    func location(key: KeyIdentity, transfer: String) -> String
}
