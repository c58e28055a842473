/// Frames the client builds outside any ``RPCFunction``.
enum RPCFrames {
    /// A sync: a request with the unassigned function number `code` and no arguments.
    static func synchronisation(_ code: UInt32, client: ClientHandle) -> [UInt8] {
        var encoder = XDREncoder(capacity: RequestHeader.size)
        encoder.encode(RequestHeader(functionCode: code, client: client))
        return encoder.bytes
    }
}
