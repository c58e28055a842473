/// One condition of a transaction (etcd's `Compare`): a field of one key against a value.
/// A key that does not exist has version, create and mod revision 0, which is how "absent"
/// is tested.
public struct EtcdCompare: Sendable, Hashable {
    public enum Field: Sendable, Hashable {
        case value([UInt8])
        case version(Int64)
        case createRevision(Int64)
        case modRevision(Int64)
        case lease(Int64)
    }

    public enum Relation: String, Sendable, Hashable {
        case equal = "EQUAL"
        case notEqual = "NOT_EQUAL"
        case greater = "GREATER"
        case less = "LESS"
    }

    public var key: [UInt8]
    public var field: Field
    public var relation: Relation

    public init(_ key: String, _ field: Field, _ relation: Relation = .equal) {
        self.init(key: Array(key.utf8), field, relation)
    }

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
    case get(key: [UInt8])
    case getPrefix([UInt8])
    case put(key: [UInt8], value: [UInt8], lease: Int64 = 0)
    case delete(key: [UInt8])

    public static func get(_ key: String) -> Self { .get(key: Array(key.utf8)) }
    public static func put(_ key: String, _ value: [UInt8], lease: Int64 = 0) -> Self {
        .put(key: Array(key.utf8), value: value, lease: lease)
    }
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
    public var compares: [EtcdCompare]
    public var success: [EtcdOperation]
    public var failure: [EtcdOperation]

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
        case range(EtcdRange)
        case put
        case delete(deleted: Int64)
    }

    /// Whether every compare held (and so `success` ran).
    public var succeeded: Bool
    /// The store's revision after the transaction.
    public var revision: Int64
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
