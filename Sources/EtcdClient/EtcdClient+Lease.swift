extension EtcdClient {
    /// Grants a lease that expires `ttlSeconds` after its last keep-alive.
    public func grantLease(ttlSeconds: Int64) async throws(EtcdError) -> EtcdLease {
        let reply = try await call("/v3/lease/grant", GatewayLeaseRequest(TTL: GatewayInt64(ttlSeconds)), as: GatewayLeaseResponse.self)
        if let error = reply.error, !error.isEmpty {
            throw .refused(endpoint: configuration.endpoints[session.order[0]], code: -1, message: error)
        }
        return EtcdLease(id: reply.ID.orZero, ttlSeconds: reply.TTL.orZero)
    }

    /// Renews the lease once (call it well within the TTL, e.g. every third of it).
    /// - Returns: the TTL it was renewed to, in seconds.
    /// - Throws: ``EtcdError/leaseNotFound(lease:)`` once it has expired or was revoked.
    @discardableResult
    public func keepAlive(_ lease: Int64) async throws(EtcdError) -> Int64 {
        let reply = try await call("/v3/lease/keepalive", GatewayLeaseRequest(ID: GatewayInt64(lease)), as: GatewayKeepAliveResponse.self)
        // etcd answers a keep-alive of a lease it no longer has with TTL 0.
        guard let ttl = reply.result?.TTL.orZero, ttl > 0 else { throw .leaseNotFound(lease: lease) }
        return ttl
    }

    /// Ends the lease now; its keys and locks go with it.
    /// - Throws: ``EtcdError/leaseNotFound(lease:)`` when it was already gone.
    public func revoke(_ lease: Int64) async throws(EtcdError) {
        do {
            _ = try await call("/v3/lease/revoke", GatewayLeaseRequest(ID: GatewayInt64(lease)), as: GatewayEmptyResponse.self)
        } catch .refused(_, GRPCStatusCode.notFound, _) {
            throw .leaseNotFound(lease: lease)
        }
    }

    /// The seconds the lease has left, or nil once it is gone.
    public func timeToLive(_ lease: Int64) async throws(EtcdError) -> Int64? {
        let reply = try await call("/v3/lease/timetolive", GatewayLeaseRequest(ID: GatewayInt64(lease)), as: GatewayLeaseResponse.self)
        let ttl = reply.TTL.orZero
        return ttl < 0 ? nil : ttl
    }
}
