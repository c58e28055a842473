/// Frames the client builds outside any ``RPCFunction``.
enum RPCFrames {
    /// A request with ``HSMClient/resynchronisationFunctionCode`` and no arguments.
    static func resynchronisation(client: ClientHandle) -> [UInt8] {
        var encoder = XDREncoder(capacity: RequestHeader.size)
        encoder.encode(RequestHeader(functionCode: HSMClient.resynchronisationFunctionCode, client: client))
        return encoder.bytes
    }
}
