/// The first two words of every request: function number and client handle
/// (docs/wire-protocol.md §3.1), kept raw so an unassigned function number can still be answered.
public struct RequestHeader: Hashable, Sendable, XDRCodable {
    /// The function number as sent; see ``function``.
    public var functionCode: UInt32
    /// The client word: whose login and volatile keys the request acts on. The muxd overwrites
    /// it with the connection's handle (docs/wire-protocol.md §3.1, §11.3).
    public var client: ClientHandle

    /// Bytes in a request header.
    public static let size = 8

    /// A header with a raw function number, which may be unassigned (to test a server's answer
    /// to one).
    public init(functionCode: UInt32, client: ClientHandle) {
        self.functionCode = functionCode
        self.client = client
    }

    /// The header of a request for `function` from `client`.
    public init(function: FunctionNumber, client: ClientHandle) {
        self.init(functionCode: function.rawValue, client: client)
    }

    /// Reads the header of a request without decoding its arguments (the board's peek).
    /// - Parameter frame: a received message.
    /// - Returns: `nil` when the frame is shorter than 8 bytes: the board sends **no reply
    ///   at all** then (docs/wire-protocol.md §3.2).
    public init?(peeking frame: [UInt8]) {
        guard let header = frame.withUnsafeBytes(RequestHeader.init(peeking:)) else { return nil }
        self = header
    }

    /// Reads the first two words of a message in place: a request's header, or the function
    /// number and client word that open every reply too (how the muxd routes replies).
    /// - Returns: `nil` when there are fewer than 8 bytes.
    public init?(peeking bytes: UnsafeRawBufferPointer) {
        guard bytes.count >= Self.size else { return nil }
        functionCode = UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: 0, as: UInt32.self))
        client = ClientHandle(rawValue: UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: 4, as: UInt32.self)))
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
    /// request (docs/wire-protocol.md §11.3); `nil` when the frame has no complete header.
    public static func replacingClient(in frame: [UInt8], with client: ClientHandle) -> [UInt8]? {
        var copy = frame
        return copy.withUnsafeMutableBytes { replaceClient(in: $0, with: client) } ? copy : nil
    }

    /// Replaces the client word (bytes 4…7) of a message in place: the muxd writes its handle
    /// into a request and the client's own word back into the reply (docs/wire-protocol.md §11.3).
    /// - Returns: `false`, leaving the bytes alone, when there is no complete header.
    public static func replaceClient(in frame: UnsafeMutableRawBufferPointer, with client: ClientHandle) -> Bool {
        guard frame.count >= size else { return false }
        frame.storeBytes(of: client.rawValue.bigEndian, toByteOffset: 4, as: UInt32.self)
        return true
    }
}
