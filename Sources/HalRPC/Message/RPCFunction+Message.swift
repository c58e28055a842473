/// Whole messages: header words plus the function's arguments or results. Clients use
/// ``encodeRequest(_:client:)`` and ``decodeReply(_:for:client:)``; servers use
/// ``decodeRequest(_:strictness:)`` and ``encodeReply(_:client:)`` (or ``IncomingRequest``).
extension RPCFunction {
    /// Encodes a request message: function number, client word, arguments.
    /// - Parameters:
    ///   - request: the arguments.
    ///   - client: the client word (docs/wire-protocol.md §3.1: always present, even for functions that
    ///     ignore it).
    public static func encodeRequest(_ request: Request, client: ClientHandle) -> [UInt8] {
        var encoder = XDREncoder()
        encoder.encode(RequestHeader(function: number, client: client))
        encoder.encode(request)
        return encoder.bytes
    }

    /// Decodes a request message as a server.
    /// - Parameters:
    ///   - frame: the whole request, header included.
    ///   - strictness: ``XDRDecoder/Strictness/firmware`` (the default) reads it as the board
    ///     does: unchecked pad bytes, trailing bytes ignored.
    /// - Returns: the header and the arguments.
    /// - Throws: ``XDRError``; ``XDRError/halStatus`` gives the status the board answers.
    public static func decodeRequest(
        _ frame: [UInt8], strictness: XDRDecoder.Strictness = .firmware
    ) throws(XDRError) -> (header: RequestHeader, request: Request) {
        var decoder = XDRDecoder(frame, strictness: strictness)
        let header: RequestHeader = try decoder.decode()
        let request: Request = try decoder.decode()
        try decoder.finish()
        return (header: header, request: request)
    }

    /// Encodes a reply message: header with status `HAL_OK`, then the results.
    /// - Parameters:
    ///   - reply: the results.
    ///   - client: the client word of the request being answered.
    public static func encodeReply(_ reply: Reply, client: ClientHandle) -> [UInt8] {
        var encoder = XDREncoder()
        encoder.encode(ReplyHeader(functionCode: number.rawValue, client: client, status: .ok))
        encoder.encode(reply)
        return encoder.bytes
    }

    /// Encodes a reply: the results for `.success`, a bare 12-byte error reply for
    /// `.failure` (docs/wire-protocol.md §3.1: handlers never leave partial results behind).
    public static func encodeReply(_ result: Result<Reply, HALError>, client: ClientHandle) -> [UInt8] {
        switch result {
        case .success(let reply): encodeReply(reply, client: client)
        case .failure(let status): ReplyHeader.errorReply(functionCode: number.rawValue, client: client, status: status)
        }
    }

    /// Decodes a reply message as the answer to `request`: strictly, except that pad bytes are
    /// not checked (``XDRDecoder/Strictness/reply``).
    /// - Parameters:
    ///   - frame: the whole reply, header included.
    ///   - request: the request it answers (bounds and shapes the results).
    ///   - client: the client word the reply must carry; `nil` to ignore it, as every client
    ///     must through the muxd (docs/wire-protocol.md §3.3, §11.3).
    /// - Returns: the results for status `HAL_OK`, otherwise the status.
    /// - Throws: ``RPCReplyError`` when the frame is not a well-formed answer: wrong function
    ///   or client, a status no board answers, missing results or padding, trailing bytes,
    ///   oversized lengths, a status or results this request cannot get.
    public static func decodeReply(_ frame: [UInt8], for request: Request, client: ClientHandle? = nil) throws(RPCReplyError) -> Result<Reply, HALError> {
        var decoder = XDRDecoder(frame, strictness: .reply)
        guard let header = try? decoder.decode(ReplyHeader.self) else {
            throw .headerTruncated(length: frame.count)
        }
        guard header.functionCode == number.rawValue else {
            throw .unexpectedFunction(expected: number, received: header.functionCode)
        }
        if let client, header.client != client {
            throw .unexpectedClient(expected: client, received: header.client)
        }
        // A status outside the table is a damaged frame, never a board's answer to report.
        guard header.status.isKnown else { throw .unknownStatus(header.status.rawValue) }
        guard header.status != .rpcPacketOverflow || overflowsPacket(request) else {
            throw .impossible("status 29 (HAL_ERROR_RPC_PACKET_OVERFLOW) cannot answer this \(number) request")
        }
        let reply: Reply
        do {
            guard header.status == .ok else {
                try decoder.finish()
                return .failure(header.status)
            }
            reply = try decodeReply(from: &decoder, for: request)
            try decoder.finish()
        } catch {
            throw .malformed(error)
        }
        if let reason = impossibility(of: reply, for: request) { throw .impossible(reason) }
        return .success(reply)
    }
}

extension ReplyHeader {
    /// A 12-byte error reply (docs/wire-protocol.md §3.2), also for function numbers no
    /// ``RPCFunction`` describes (status `HAL_ERROR_RPC_BAD_FUNCTION`).
    public static func errorReply(functionCode: UInt32, client: ClientHandle, status: HALError) -> [UInt8] {
        var encoder = XDREncoder(capacity: size)
        encoder.encode(ReplyHeader(functionCode: functionCode, client: client, status: status))
        return encoder.bytes
    }
}
