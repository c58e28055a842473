/// One key as a linearizable read returned it, with the revisions a compare can test.
public struct EtcdKeyValue: Sendable, Hashable {
    /// The key's bytes (the ledger's keys are UTF-8 text; see ``keyString``).
    public var key: [UInt8]
    /// The value's bytes as stored: a ledger record or head is JSON, a share blob wrapped bytes.
    public var value: [UInt8]
    /// The revision of the put that created this key (0 only for a key that does not exist).
    public var createRevision: Int64
    /// The revision of its last change.
    public var modRevision: Int64
    /// How many times it was put since it was created (1 after the first).
    public var version: Int64
    /// The lease it is attached to, 0 for none.
    public var lease: Int64

    /// The key as text, for messages and for parsing a record's sequence number.
    public var keyString: String { String(decoding: key, as: UTF8.self) }

    init(_ wire: GatewayKeyValue) {
        key = wire.key?.bytes ?? []
        value = wire.value?.bytes ?? []
        createRevision = wire.create_revision.orZero
        modRevision = wire.mod_revision.orZero
        version = wire.version.orZero
        lease = wire.lease.orZero
    }
}

/// The keys of one range read and the store's revision when it was read.
public struct EtcdRange: Sendable, Hashable {
    /// The keys found, in key order; empty when nothing is in the range.
    public var keyValues: [EtcdKeyValue]
    /// How many keys are in the range, also past a `limit`.
    public var count: Int64
    /// Whether a `limit` left keys out.
    public var more: Bool
    /// The revision the read saw.
    public var revision: Int64

    init(_ wire: GatewayRangeResponse) {
        keyValues = (wire.kvs ?? []).map(EtcdKeyValue.init)
        count = wire.count.orZero
        more = wire.more ?? false
        revision = wire.header?.revision.orZero ?? 0
    }
}

/// etcd's key ranges: the end of a prefix is the prefix with its last byte below 0xff raised
/// by one (etcd's `GetPrefixRangeEnd`); a prefix of only 0xff bytes runs to the end (`\0`).
enum EtcdKeyRange {
    static func prefixEnd(_ prefix: [UInt8]) -> [UInt8] {
        var end = prefix
        while let last = end.last {
            if last < 0xff {
                end[end.count - 1] = last + 1
                return end
            }
            end.removeLast()
        }
        return [0]
    }
}
