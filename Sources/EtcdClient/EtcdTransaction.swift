/// One condition of a transaction (etcd's `Compare`): a field of one key against a value.
/// A key that does not exist has version, create and mod revision 0, which is how "absent"
/// is tested.
public struct EtcdCompare: Sendable, Hashable {
    /// The field of the key that is compared, with the value it is compared against.
    public enum Field: Sendable, Hashable {
        /// The key's value bytes.
        case value([UInt8])
        /// How many times the key was put since it was created; 0 tests that it is absent.
        case version(Int64)
        /// The revision that created the key; a lock's fence compares this.
        case createRevision(Int64)
        /// The revision of the key's last change; the ledger head's compare-and-swap compares this.
        case modRevision(Int64)
        /// The lease the key is attached to (0: none).
        case lease(Int64)
    }

    /// How the key's field must stand to the value; the raw values are the gateway's names.
    public enum Relation: String, Sendable, Hashable {
        /// The field equals the value.
        case equal = "EQUAL"
        /// The field differs from the value.
        case notEqual = "NOT_EQUAL"
        /// The field is greater than the value.
        case greater = "GREATER"
        /// The field is less than the value.
        case less = "LESS"
    }

    /// The key whose field is compared.
    public var key: [UInt8]
    /// The field and the value it is compared against.
    public var field: Field
    /// How the field must stand to the value for the compare to hold.
    public var relation: Relation

    /// A compare on a text key.
    /// - Parameters:
    ///   - key: the key, as UTF-8.
    ///   - field: the field and its value.
    ///   - relation: how they must stand; equality unless given.
    public init(_ key: String, _ field: Field, _ relation: Relation = .equal) {
        self.init(key: Array(key.utf8), field, relation)
    }

    /// A compare on a key given as bytes (a lock's key is not text).
    /// - Parameters:
    ///   - key: the key's bytes.
    ///   - field: the field and its value.
    ///   - relation: how they must stand; equality unless given.
    public init(key: [UInt8], _ field: Field, _ relation: Relation = .equal) {
        self.key = key
        self.field = field
        self.relation = relation
    }

    var wire: GatewayCompare {
        var compare = GatewayCompare(result: relation.rawValue, target: "", key: GatewayBytes(key))
        switch field {
        case .value(let value):
            compare.target = "VALUE"
            compare.value = GatewayBytes(value)
        case .version(let version):
            compare.target = "VERSION"
            compare.version = GatewayInt64(version)
        case .createRevision(let revision):
            compare.target = "CREATE"
            compare.create_revision = GatewayInt64(revision)
        case .modRevision(let revision):
            compare.target = "MOD"
            compare.mod_revision = GatewayInt64(revision)
        case .lease(let lease):
            compare.target = "LEASE"
            compare.lease = GatewayInt64(lease)
        }
        return compare
    }
}

/// One operation inside a transaction.
public enum EtcdOperation: Sendable, Hashable {
    /// Reads one key.
    case get(key: [UInt8])
    /// Reads every key that starts with the prefix, in key order.
    case getPrefix([UInt8])
    /// Sets a key, attached to `lease` when not 0.
    case put(key: [UInt8], value: [UInt8], lease: Int64 = 0)
    /// Deletes one key.
    case delete(key: [UInt8])

    /// Reads one key given as text.
    public static func get(_ key: String) -> Self { .get(key: Array(key.utf8)) }
    /// Sets a key given as text, attached to `lease` when not 0.
    public static func put(_ key: String, _ value: [UInt8], lease: Int64 = 0) -> Self {
        .put(key: Array(key.utf8), value: value, lease: lease)
    }
    /// Deletes one key given as text.
    public static func delete(_ key: String) -> Self { .delete(key: Array(key.utf8)) }

    var wire: GatewayRequestOp {
        switch self {
        case .get(let key):
            GatewayRequestOp(request_range: GatewayRangeRequest(key: GatewayBytes(key)))
        case .getPrefix(let prefix):
            GatewayRequestOp(
                request_range: GatewayRangeRequest(key: GatewayBytes(prefix), range_end: GatewayBytes(EtcdKeyRange.prefixEnd(prefix)))
            )
        case .put(let key, let value, let lease):
            GatewayRequestOp(request_put: GatewayPutRequest(key: GatewayBytes(key), value: GatewayBytes(value), lease: lease == 0 ? nil : GatewayInt64(lease)))
        case .delete(let key):
            GatewayRequestOp(request_delete_range: GatewayDeleteRangeRequest(key: GatewayBytes(key)))
        }
    }
}

/// If every compare holds, the `success` operations run, else the `failure` ones: atomically,
/// at one revision. This is the compare-and-swap the ledger's chain head moves by.
public struct EtcdTransaction: Sendable, Hashable {
    /// The conditions; all must hold for `success` to run. None: `success` always runs.
    public var compares: [EtcdCompare]
    /// The operations run when every compare holds.
    public var success: [EtcdOperation]
    /// The operations run when a compare fails, e.g. a read that tells the caller why.
    public var failure: [EtcdOperation]

    /// - Parameters:
    ///   - compares: the conditions, all of which must hold.
    ///   - success: what runs when they do.
    ///   - failure: what runs when one does not; nothing unless given.
    public init(if compares: [EtcdCompare], then success: [EtcdOperation], else failure: [EtcdOperation] = []) {
        self.compares = compares
        self.success = success
        self.failure = failure
    }

    var wire: GatewayTxnRequest {
        GatewayTxnRequest(compare: compares.map(\.wire), success: success.map(\.wire), failure: failure.map(\.wire))
    }
}

/// What a transaction did.
public struct EtcdTransactionResult: Sendable, Hashable {
    /// The reply of one operation, in the order of the branch that ran.
    public enum Reply: Sendable, Hashable {
        /// The keys an ``EtcdOperation/get(key:)`` or ``EtcdOperation/getPrefix(_:)`` read.
        case range(EtcdRange)
        /// A put took effect.
        case put
        /// A delete took effect; `deleted` counts the keys removed (0 or 1 for one key).
        case delete(deleted: Int64)
    }

    /// Whether every compare held (and so `success` ran).
    public var succeeded: Bool
    /// The store's revision after the transaction.
    public var revision: Int64
    /// One reply per operation of the branch that ran, in its order.
    public var replies: [Reply]

    init(_ wire: GatewayTxnResponse) {
        succeeded = wire.succeeded ?? false
        revision = wire.header?.revision.orZero ?? 0
        replies = (wire.responses ?? []).map { op in
            if let range = op.response_range { return .range(EtcdRange(range)) }
            if let delete = op.response_delete_range { return .delete(deleted: delete.deleted.orZero) }
            return .put
        }
    }
}
