import EtcdClient

/// Moves `key` from `old` to `new` only if no one changed it since it was read. `location`
/// names the members: `etcd://10.0.0.1:2379,10.0.0.2:2379,10.0.0.3:2379/prefix`.
func compareAndSwap(_ key: String, from old: [UInt8], to new: [UInt8], at location: String) async throws -> Bool {
    let client = try EtcdClient(location: try EtcdLocation(parsing: location))
    do {
        let result = try await client.txn(EtcdTransaction(
            if: [EtcdCompare(key, .value(old))],
            then: [.put(key, new)]))
        await client.shutdown()
        return result.succeeded  // false: someone else's value is there; read it again
    } catch {
        await client.shutdown()
        throw error
    }
}
