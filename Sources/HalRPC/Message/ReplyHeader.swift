/// The first three words of every reply: function number and client word copied from the
/// request, then the status (docs/wire-protocol.md §3.1). Results follow only when the status is
/// `HAL_OK`.
public struct ReplyHeader: Hashable, Sendable, XDRCodable {
    /// The function number as received.
    public var functionCode: UInt32
    /// The client word as received. Through the muxd it is the muxd's connection handle,
    /// not what the client sent (docs/wire-protocol.md §11.3).
    public var client: ClientHandle
    /// The board's answer: `HAL_OK`, or the error that means no results follow
    /// (docs/wire-protocol.md §5.1).
    public var status: HALError

    /// Bytes in a reply header.
    public static let size = 12

    /// A header with the given words.
    public init(functionCode: UInt32, client: ClientHandle, status: HALError) {
        self.functionCode = functionCode
        self.client = client
        self.status = status
    }

    /// Reads the header of a reply without its results.
    /// - Returns: `nil` when the frame is shorter than 12 bytes.
    public init?(peeking frame: [UInt8]) {
        var decoder = XDRDecoder(frame)
        guard let header = try? ReplyHeader(from: &decoder) else { return nil }
        self = header
    }

    public func encode(to encoder: inout XDREncoder) {
        encoder.encode(functionCode)
        encoder.encode(client)
        encoder.encode(status)
    }

    public init(from decoder: inout XDRDecoder) throws(XDRError) {
        functionCode = try decoder.decodeUInt32()
        client = try decoder.decode()
        status = try decoder.decode()
    }
}
