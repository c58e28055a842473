/// The first two words of every request: function number and client handle
/// (rpc-wire.md §3.1), kept raw so an unassigned function number can still be answered.
public struct RequestHeader: Hashable, Sendable, XDRCodable {
    /// The function number as sent; see ``function``.
    public var functionCode: UInt32
    public var client: ClientHandle

    /// Bytes in a request header.
    public static let size = 8

    public init(functionCode: UInt32, client: ClientHandle) {
        self.functionCode = functionCode
        self.client = client
    }

    public init(function: FunctionNumber, client: ClientHandle) {
        self.init(functionCode: function.rawValue, client: client)
    }

    /// Reads the header of a request without decoding its arguments (the board's peek).
    /// - Parameter frame: a received message.
    /// - Returns: `nil` when the frame is shorter than 8 bytes: the board sends **no reply
    ///   at all** then (rpc-wire.md §3.2).
    public init?(peeking frame: [UInt8]) {
        var decoder = XDRDecoder(frame)
        guard let header = try? RequestHeader(from: &decoder) else { return nil }
        self = header
    }

    /// The function, when the number is assigned.
    public var function: FunctionNumber? { FunctionNumber(rawValue: functionCode) }

    public func encode(to encoder: inout XDREncoder) {
        encoder.encode(functionCode)
        encoder.encode(client)
    }

    public init(from decoder: inout XDRDecoder) throws(XDRError) {
        functionCode = try decoder.decodeUInt32()
        client = try decoder.decode()
    }
}

extension RequestHeader {
    /// A copy of `frame` with its client word (bytes 4…7) replaced, as the muxd forwards a
    /// request (rpc-wire.md §11.3); `nil` when the frame has no complete header.
    public static func replacingClient(in frame: [UInt8], with client: ClientHandle) -> [UInt8]? {
        guard frame.count >= size else { return nil }
        var copy = frame
        var encoder = XDREncoder(capacity: 4)
        encoder.encode(client)
        copy.replaceSubrange(4..<8, with: encoder.bytes)
        return copy
    }
}
