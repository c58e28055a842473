extension EtcdClient {
    /// The key, or nil when it does not exist. Linearizable.
    public func get(_ key: String) async throws(EtcdError) -> EtcdKeyValue? {
        let reply = try await call("/v3/kv/range", GatewayRangeRequest(key: GatewayBytes(Array(key.utf8))), as: GatewayRangeResponse.self)
        return EtcdRange(reply).keyValues.first
    }

    /// Every key that starts with `prefix`, in key order, at most `limit` of them (0: all).
    /// Linearizable.
    public func get(prefix: String, limit: Int64 = 0) async throws(EtcdError) -> EtcdRange {
        let bytes = Array(prefix.utf8)
        let request = GatewayRangeRequest(
            key: GatewayBytes(bytes),
            range_end: GatewayBytes(EtcdKeyRange.prefixEnd(bytes)),
            limit: limit == 0 ? nil : GatewayInt64(limit)
        )
        return EtcdRange(try await call("/v3/kv/range", request, as: GatewayRangeResponse.self))
    }

    /// Sets `key` unconditionally, attached to `lease` if not 0.
    /// - Returns: the store's revision after the put.
    /// - Throws: ``EtcdError/leaseNotFound(lease:)`` when the lease is gone.
    @discardableResult
    public func put(_ key: String, _ value: [UInt8], lease: Int64 = 0) async throws(EtcdError) -> Int64 {
        let request = GatewayPutRequest(
            key: GatewayBytes(Array(key.utf8)),
            value: GatewayBytes(value),
            lease: lease == 0 ? nil : GatewayInt64(lease)
        )
        do {
            return try await call("/v3/kv/put", request, as: GatewayPutResponse.self).header?.revision.orZero ?? 0
        } catch .refused(_, GRPCStatusCode.notFound, _) where lease != 0 {
            throw .leaseNotFound(lease: lease)
        }
    }

    /// Deletes `key`.
    /// - Returns: how many keys were deleted (0 or 1).
    @discardableResult
    public func delete(_ key: String) async throws(EtcdError) -> Int64 {
        let request = GatewayDeleteRangeRequest(key: GatewayBytes(Array(key.utf8)))
        return try await call("/v3/kv/deleterange", request, as: GatewayDeleteRangeResponse.self).deleted.orZero
    }

    /// Runs `transaction` atomically: its `success` operations when every compare holds, its
    /// `failure` operations otherwise.
    public func txn(_ transaction: EtcdTransaction) async throws(EtcdError) -> EtcdTransactionResult {
        EtcdTransactionResult(try await call("/v3/kv/txn", transaction.wire, as: GatewayTxnResponse.self))
    }
}
