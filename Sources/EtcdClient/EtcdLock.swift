/// A lease-backed lock held through etcd's lock service (`/v3/lock/lock`): a key under the
/// lock's name, attached to the holder's lease, that exists as long as the lease lives.
///
/// Fencing: a holder can be paused or cut off past its lease without knowing it; by then etcd
/// has deleted its key and may have given the lock to someone else. So a write made under the
/// lock goes in a transaction with ``fence``: the key must still have the create revision it
/// was acquired with. The key of an expired lease is gone (create revision 0) and a newer
/// holder's key is another key, so a stale holder's transaction fails — whatever it believes.
public struct EtcdLock: Sendable, Hashable {
    /// The lock's name, as given to ``EtcdClient/lock(_:lease:waitingUpTo:)``.
    public var name: String
    /// The holder's key (`name/<lease in hex>`), which etcd deletes with the lease.
    public var key: [UInt8]
    /// The key's create revision: the fencing token. Later holders' keys have larger ones.
    public var revision: Int64
    /// The lease the lock lives on.
    public var lease: Int64

    /// - Parameters:
    ///   - name: the lock's name.
    ///   - key: the holder's key under the name.
    ///   - revision: the key's create revision, the fencing token.
    ///   - lease: the lease the key is attached to.
    public init(name: String, key: [UInt8], revision: Int64, lease: Int64) {
        self.name = name
        self.key = key
        self.revision = revision
        self.lease = lease
    }

    /// The compare that holds only while this lock is still held.
    public var fence: EtcdCompare {
        EtcdCompare(key: key, .createRevision(revision), .equal)
    }
}

/// A granted lease: keys and locks attached to it go when it expires or is revoked.
public struct EtcdLease: Sendable, Hashable {
    /// The lease's ID, to attach keys and locks to and to keep alive or revoke.
    public var id: Int64
    /// The TTL etcd granted, in seconds (it may raise a very short one to its minimum).
    public var ttlSeconds: Int64
}
