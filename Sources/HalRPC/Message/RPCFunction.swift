/// One RPC function, described once: its number, its request arguments and its results
/// (design.md, "One codec table, both directions").
///
/// The client encodes a ``Request`` and decodes a ``Reply``; a server (the software Alpha)
/// decodes the ``Request`` and encodes the ``Reply``, from the same types. The header words
/// (docs/wire-protocol.md §3.1) are added by ``encodeRequest(_:client:)`` and friends in
/// `RPCFunction+Message.swift`; the types here hold only what follows them.
public protocol RPCFunction: Sendable {
    /// The arguments after the 8-byte request header, in wire order.
    associatedtype Request: XDRCodable & Hashable
    /// The results after the 12-byte reply header of an `HAL_OK` reply, in wire order.
    associatedtype Reply: XDREncodable & Hashable

    /// The function number.
    static var number: FunctionNumber { get }

    /// How long a reply may take, as a class (``RPCTimeout``): ``HSMClient`` waits the class's
    /// duration unless the caller says otherwise, and the muxd times requests out by it.
    static var timeoutClass: RPCTimeout { get }

    /// What a reference Alpha is expected to take for `request`, from which ``HSMClient``
    /// derives the call's deadline (``RPCDeadline``). Defaults to the work that makes the
    /// deadline the ``timeoutClass`` duration; functions whose request says how much work
    /// there is (key generation) derive it from that.
    static func expectedWork(for request: Request) -> Duration

    /// The status of `frame` as a reply to this function, when it can be a board's answer
    /// judged without the request; `nil` when it was damaged on the way (see
    /// `RPCFunction+ReplyJudgement.swift`). For relays such as the muxd, which do not keep
    /// the request.
    static func boardStatus(ofReply frame: [UInt8]) -> HALError?

    /// Decodes the results of an `HAL_OK` reply to `request`.
    ///
    /// Some layouts depend on the request (a length query answers a bare length; the SX1
    /// share range follows only a request that carried a share count), and the request
    /// bounds what may come back (no more signature bytes than `sig_max`).
    /// - Throws: ``XDRError`` when the results do not follow the layout.
    static func decodeReply(from decoder: inout XDRDecoder, for request: Request) throws(XDRError) -> Reply

    /// Whether the board answers `request` with `HAL_ERROR_RPC_PACKET_OVERFLOW` (29) because
    /// the reply it asks for would not fit the reply space (docs/wire-protocol.md §4.3's tests per
    /// function; the software Alpha applies the same rule). A well-formed request gets 29 for
    /// no other reason (§3.2: a count beyond the request's bytes), so to any other request a
    /// 29 is a status damaged on the way (one flipped bit turns 21 into 29), never the board's
    /// answer. Defaults to `false`: the function's reply is not sized by its request.
    static func overflowsPacket(_ request: Request) -> Bool

    /// Why a reply that follows the layout still cannot answer `request` (the board never
    /// sends it, so it was damaged on the way), or `nil` when it can. Defaults to `nil`.
    static func impossibility(of reply: Reply, for request: Request) -> String?
}

extension RPCFunction {
    /// The reply timeout ``HSMClient`` uses unless the caller passes one.
    public static var defaultTimeout: Duration { timeoutClass.duration }

    public static func overflowsPacket(_ request: Request) -> Bool { false }

    public static func impossibility(of reply: Reply, for request: Request) -> String? { nil }
}

extension RPCFunction where Reply: XDRDecodable {
    public static func decodeReply(from decoder: inout XDRDecoder, for request: Request) throws(XDRError) -> Reply {
        try Reply(from: &decoder)
    }
}
