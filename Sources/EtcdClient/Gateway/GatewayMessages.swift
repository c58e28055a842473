// The request and reply bodies of the etcd v3 gateway (etcd's rpc.proto, v3lock.proto), in
// proto3's JSON mapping: field names as in the .proto, int64 in strings, bytes in base64,
// zero values left out (so every reply field is optional). Only the fields this client uses.

/// cluster_id and member_id are uint64 (past Int64.max) and unused: not decoded.
struct GatewayHeader: Decodable, Sendable {
    var revision: GatewayInt64?
}

struct GatewayKeyValue: Decodable, Sendable {
    var key: GatewayBytes?
    var create_revision: GatewayInt64?
    var mod_revision: GatewayInt64?
    var version: GatewayInt64?
    var value: GatewayBytes?
    var lease: GatewayInt64?
}

struct GatewayRangeRequest: Encodable, Sendable {
    var key: GatewayBytes
    var range_end: GatewayBytes?
    var limit: GatewayInt64?
    // `serializable` is never sent: every read is linearizable (the default).
}

struct GatewayRangeResponse: Decodable, Sendable {
    var header: GatewayHeader?
    var kvs: [GatewayKeyValue]?
    var more: Bool?
    var count: GatewayInt64?
}

struct GatewayPutRequest: Encodable, Sendable {
    var key: GatewayBytes
    var value: GatewayBytes
    var lease: GatewayInt64?
}

struct GatewayPutResponse: Decodable, Sendable {
    var header: GatewayHeader?
}

struct GatewayDeleteRangeRequest: Encodable, Sendable {
    var key: GatewayBytes
    var range_end: GatewayBytes?
}

struct GatewayDeleteRangeResponse: Decodable, Sendable {
    var header: GatewayHeader?
    var deleted: GatewayInt64?
}

struct GatewayCompare: Encodable, Sendable {
    var result: String
    var target: String
    var key: GatewayBytes
    var version: GatewayInt64?
    var create_revision: GatewayInt64?
    var mod_revision: GatewayInt64?
    var value: GatewayBytes?
    var lease: GatewayInt64?
}

struct GatewayRequestOp: Encodable, Sendable {
    var request_range: GatewayRangeRequest?
    var request_put: GatewayPutRequest?
    var request_delete_range: GatewayDeleteRangeRequest?
}

struct GatewayTxnRequest: Encodable, Sendable {
    var compare: [GatewayCompare]
    var success: [GatewayRequestOp]
    var failure: [GatewayRequestOp]
}

struct GatewayResponseOp: Decodable, Sendable {
    var response_range: GatewayRangeResponse?
    var response_put: GatewayPutResponse?
    var response_delete_range: GatewayDeleteRangeResponse?
}

struct GatewayTxnResponse: Decodable, Sendable {
    var header: GatewayHeader?
    var succeeded: Bool?
    var responses: [GatewayResponseOp]?
}

/// LeaseGrant, LeaseRevoke, LeaseKeepAlive and LeaseTimeToLive all take the lease's ID alone,
/// or (grant) its TTL in seconds.
struct GatewayLeaseRequest: Encodable, Sendable {
    var ID: GatewayInt64?
    var TTL: GatewayInt64?
}

struct GatewayLeaseResponse: Decodable, Sendable {
    var header: GatewayHeader?
    var ID: GatewayInt64?
    var TTL: GatewayInt64?
    var grantedTTL: GatewayInt64?
    var error: String?
}

/// LeaseKeepAlive is a bidirectional stream in gRPC; the gateway sends one request per JSON
/// object in the body and wraps each reply as `{"result": …}`. One request, one reply.
struct GatewayKeepAliveResponse: Decodable, Sendable {
    var result: GatewayLeaseResponse?
}

struct GatewayLockRequest: Encodable, Sendable {
    var name: GatewayBytes
    var lease: GatewayInt64
}

struct GatewayLockResponse: Decodable, Sendable {
    var header: GatewayHeader?
    var key: GatewayBytes?
}

struct GatewayUnlockRequest: Encodable, Sendable {
    var key: GatewayBytes
}

struct GatewayAuthenticateRequest: Encodable, Sendable {
    var name: String
    var password: String
}

struct GatewayAuthenticateResponse: Decodable, Sendable {
    var token: String?
}

/// The body of a refused request: a gRPC status (code, message) in JSON.
struct GatewayStatus: Decodable, Sendable {
    var error: String?
    var message: String?
    var code: Int?
}

/// An empty reply we only need the success of.
struct GatewayEmptyResponse: Decodable, Sendable {}
