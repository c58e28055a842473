import EtcdClient
import HashSigHost
import Logging

/// What `--ledger` names: an `etcd://members/prefix` location, or else a file path.
public enum LedgerLocation {
    /// The store `text` names.
    /// - Parameters:
    ///   - text: the `--ledger` argument: `etcd://members/prefix`, or else a file path.
    ///   - etcd: TLS, credentials and limits for an etcd location (its endpoints come from the
    ///     location).
    ///   - lockTTL: for an etcd location, seconds an export lock outlives its holder's last
    ///     keep-alive.
    ///   - logger: where an etcd store's client logs; nothing by default.
    /// - Throws: `LedgerError/storeFailed(path:reason:)` for an etcd location that cannot be
    ///   used (what is wrong with it, or a TLS file that cannot be loaded).
    public static func store(for text: String, etcd: EtcdConfiguration? = nil,
                             lockTTL: Int64 = EtcdLedgerStore.defaultLockTTL,
                             logger: Logger = EtcdClient.silentLogger) throws(LedgerError) -> any LedgerStore {
        guard EtcdLocation.isLocation(text) else { return FileLedgerStore(path: text) }
        let location: EtcdLocation
        do {
            location = try EtcdLocation(parsing: text)
        } catch {
            throw .storeFailed(path: text, reason: "\(error)")
        }
        return try EtcdLedgerStore(location: location, configuration: etcd, lockTTL: lockTTL, logger: logger)
    }
}
