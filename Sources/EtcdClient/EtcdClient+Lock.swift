extension EtcdClient {
    /// Waits until this lease holds the lock `name`, through etcd's lock service (v3lock):
    /// etcd queues the holders by their keys' create revisions and answers when this one is
    /// first. The wait is a single request, so `waitingUpTo` is its deadline; when it runs out
    /// the request is dropped and etcd removes the queued key.
    /// - Returns: the lock, whose ``EtcdLock/fence`` goes into every write made under it.
    /// - Throws: ``EtcdError/lockNotAcquired(name:endpoint:waited:)`` when the wait ran out,
    ///   ``EtcdError/leaseNotFound(lease:)`` when the lease is gone (before or while waiting).
    public func lock(_ name: String, lease: Int64, waitingUpTo wait: Duration) async throws(EtcdError) -> EtcdLock {
        let request = GatewayLockRequest(name: GatewayBytes(Array(name.utf8)), lease: GatewayInt64(lease))
        let reply: GatewayLockResponse
        do {
            reply = try await call("/v3/lock/lock", request, as: GatewayLockResponse.self, timeout: wait) { endpoint in
                .lockNotAcquired(name: name, endpoint: endpoint, waited: wait)
            }
        } catch .refused(_, let code, let message)
            where code == GRPCStatusCode.notFound || message == Self.leaseNotFoundMessage
        {
            throw .leaseNotFound(lease: lease)
        }
        guard let key = reply.key?.bytes, !key.isEmpty else {
            throw .malformedReply(endpoint: configuration.endpoints[session.order[0]], reason: "a lock reply without a key")
        }
        // The fencing revision is the key's create revision; read it back (linearizably)
        // rather than trust the reply header's revision, which is the store's at some point
        // of the wait. A key already gone means the lease expired right after the grant.
        let range = EtcdRange(try await call("/v3/kv/range", GatewayRangeRequest(key: GatewayBytes(key)), as: GatewayRangeResponse.self))
        guard let held = range.keyValues.first, held.lease == lease else { throw .leaseNotFound(lease: lease) }
        return EtcdLock(name: name, key: key, revision: held.createRevision, lease: lease)
    }

    /// etcd's ErrLeaseNotFound text: the lock service passes the lease's error on with code
    /// UNKNOWN, so only the text tells it apart.
    static let leaseNotFoundMessage = "etcdserver: requested lease not found"

    /// Gives the lock up (its lease lives on).
    public func unlock(_ lock: EtcdLock) async throws(EtcdError) {
        _ = try await call("/v3/lock/unlock", GatewayUnlockRequest(key: GatewayBytes(lock.key)), as: GatewayEmptyResponse.self)
    }
}
