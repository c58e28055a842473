/// A reply frame that cannot be the answer to the request it was matched against.
public enum RPCReplyError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Shorter than the 12-byte reply header.
    case headerTruncated(length: Int)
    /// The function number is not the request's.
    case unexpectedFunction(expected: FunctionNumber, received: UInt32)
    /// The client word is not the one the request carried (checked only on direct links:
    /// the muxd rewrites it, docs/wire-protocol.md §11.3).
    case unexpectedClient(expected: ClientHandle, received: ClientHandle)
    /// The status or results do not follow the function's layout (including an error reply
    /// longer than its 12 bytes).
    case malformed(XDRError)
    /// The status is not one a board can answer (no HAL status has this number): the reply was
    /// damaged on the way, so whether the request was carried out is unknown.
    case unknownStatus(UInt32)
    /// The status or results follow the layout but cannot answer this request
    /// (``RPCFunction/overflowsPacket(_:)``, ``RPCFunction/impossibility(of:for:)``): the
    /// reply was damaged on the way, so whether the request was carried out is unknown.
    case impossible(String)

    public var description: String {
        switch self {
        case let .headerTruncated(length): "reply of \(length) bytes has no complete header"
        case let .unexpectedFunction(expected, received): "reply to function \(received), expected \(expected) (\(expected.rawValue))"
        case let .unexpectedClient(expected, received): "reply for client \(received), expected \(expected)"
        case let .malformed(error): "malformed reply: \(error)"
        case let .unknownStatus(status): "status \(status) is no HAL status: the reply was damaged on the way"
        case let .impossible(reason): "\(reason): the reply was damaged on the way"
        }
    }
}
