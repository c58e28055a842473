import EtcdClient
import HashSigHost

/// Runs an etcd call for the ledger at `location`, reporting no quorum as
/// ``LedgerError/unavailable(path:reason:)`` (naming every member tried and why) and any
/// other failure as ``LedgerError/storeFailed(path:reason:)``.
func etcdCall<T>(location: String, _ body: () async throws(EtcdError) -> T) async throws(LedgerError) -> T {
    do {
        return try await body()
    } catch .noQuorum(let tried, let failures) {
        throw .unavailable(path: location, reason: "\(EtcdError.noQuorum(tried: tried, failures: failures))")
    } catch {
        throw .storeFailed(path: location, reason: "\(error)")
    }
}
