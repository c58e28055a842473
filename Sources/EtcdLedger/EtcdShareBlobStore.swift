import EtcdClient
import HashSigHost

/// Wrapped shares of an etcd ledger, under `P/ledger/blobs/`, so that an export killed on one
/// host after the blob came back is imported by `--resume` on another. A put is durable once
/// etcd answers (a majority of members have it on disk).
struct EtcdShareBlobStore: ShareBlobStore {
    let client: EtcdClient
    let prefix: String
    let location: String

    /// A wrapped share is a PKCS#8 key and a wrapped KEK: kilobytes.
    static let sizeLimit = 1 << 20

    func key(_ key: KeyIdentity, transfer: String) -> String {
        prefix + FileShareBlobStore.blobName(key: key, transfer: transfer)
    }

    func location(key: KeyIdentity, transfer: String) -> String {
        location + " key " + self.key(key, transfer: transfer)
    }

    func store(_ share: WrappedShare, key: KeyIdentity, transfer: String) async throws(LedgerError) {
        let name = self.key(key, transfer: transfer)
        _ = try await call { () async throws(EtcdError) in try await client.put(name, share.fileBytes) }
    }

    func load(key: KeyIdentity, transfer: String) async throws(LedgerError) -> WrappedShare? {
        let name = self.key(key, transfer: transfer)
        guard let stored = try await call({ () async throws(EtcdError) in try await client.get(name) }) else { return nil }
        guard stored.value.count <= Self.sizeLimit, let share = WrappedShare(fileBytes: stored.value) else {
            throw .malformedLine(path: location(key: key, transfer: transfer), line: 1, reason: "not a wrapped share")
        }
        return share
    }

    func remove(key: KeyIdentity, transfer: String) async throws(LedgerError) {
        let name = self.key(key, transfer: transfer)
        _ = try await call { () async throws(EtcdError) in try await client.delete(name) }
    }

    private func call<T>(_ body: () async throws(EtcdError) -> T) async throws(LedgerError) -> T {
        try await etcdCall(location: location, body)
    }
}
