/// A request as a server (the software Alpha, a test's fake board) receives it: header
/// peeked, arguments decoded on demand by the function that the header names, replies
/// built from the same ``RPCFunction`` descriptions the client uses.
///
/// ```swift
/// guard let request = IncomingRequest(frame: frame) else { return }   // < 8 bytes: no reply
/// switch request.function {
/// case .getRandom?:
///     reply = await request.respond(to: RPC.GetRandom.self) { args in
///         RPC.GetRandom.Reply(bytes: try random(Int(args.count)))
///     }
/// case nil:
///     reply = request.errorReply(.rpcBadFunction)
/// ...
/// ```
public struct IncomingRequest: Sendable {
    /// The function number and client word.
    public let header: RequestHeader
    /// The whole request message.
    public let frame: [UInt8]

    /// Peeks at a received request.
    /// - Parameter frame: one received message.
    /// - Returns: `nil` when the frame is shorter than 8 bytes: the board sends no reply to
    ///   it at all (docs/wire-protocol.md §3.2).
    public init?(frame: [UInt8]) {
        guard let header = RequestHeader(peeking: frame) else { return nil }
        self.header = header
        self.frame = frame
    }

    /// The function, when the number is assigned; `nil` calls for
    /// `errorReply(.rpcBadFunction)`.
    public var function: FunctionNumber? { header.function }

    /// Decodes the arguments as `function`'s request.
    /// - Parameters:
    ///   - function: the description to decode with (normally the one ``function`` names).
    ///   - strictness: ``XDRDecoder/Strictness/firmware`` by default, like the board.
    /// - Throws: ``XDRError``; answer it with `errorReply(error.halStatus)`.
    public func decode<F: RPCFunction>(_ function: F.Type, strictness: XDRDecoder.Strictness = .firmware) throws(XDRError) -> F.Request {
        try F.decodeRequest(frame, strictness: strictness).request
    }

    /// An `HAL_OK` reply carrying `reply`.
    public func reply<F: RPCFunction>(_ function: F.Type, _ reply: F.Reply) -> [UInt8] {
        F.encodeReply(reply, client: header.client)
    }

    /// A 12-byte error reply with this request's function number and client word.
    public func errorReply(_ status: HALError) -> [UInt8] {
        ReplyHeader.errorReply(functionCode: header.functionCode, client: header.client, status: status)
    }

    /// Decodes the arguments, runs `handler` and encodes its answer: results on success,
    /// an error reply with the handler's status, or the firmware's status for arguments
    /// that do not decode (``XDRError/halStatus``).
    /// - Parameters:
    ///   - function: the description to decode and encode with.
    ///   - strictness: how to decode the arguments.
    ///   - isolation: the caller's actor, left to its default: `handler` runs there, so a
    ///     server actor's state needs no hop.
    ///   - handler: does the work; throws the ``HALError`` the board would answer.
    /// - Returns: the reply message to send.
    public func respond<F: RPCFunction>(
        to function: F.Type,
        strictness: XDRDecoder.Strictness = .firmware,
        isolation: isolated (any Actor)? = #isolation,
        _ handler: (F.Request) async throws(HALError) -> F.Reply
    ) async -> [UInt8] {
        let request: F.Request
        do {
            request = try decode(F.self, strictness: strictness)
        } catch {
            return errorReply(error.halStatus)
        }
        do {
            return reply(F.self, try await handler(request))
        } catch {
            return errorReply(error)
        }
    }
}
