import EtcdClient
import EtcdLedger
import HashSigHost

/// The ledger `--ledger` names: a file, or `etcd://a:2379,b:2379,c:2379/cryptech/prod`.
func openLedger(_ location: String, etcd: EtcdConfiguration? = nil) async throws -> ShareLedger {
    let store = try LedgerLocation.store(for: location, etcd: etcd)
    return try await ShareLedger(store: store)
}
