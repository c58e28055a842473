/// Judging a reply without its request, for a relay that does not keep requests (the muxd):
/// the same rules as ``RPCFunction/decodeReply(_:for:client:)`` where the request is not
/// needed. A damaged reply is a link fault with an unknown outcome, never a board's answer.
extension RPCFunction {
    /// Header checks only: the results' layout depends on the request.
    public static func boardStatus(ofReply frame: [UInt8]) -> HALError? {
        var decoder = XDRDecoder(frame, strictness: .reply)
        return headerStatus(&decoder)
    }

    /// The status, when the header is this function's with a status a board can answer, and
    /// an error reply ends there (docs/wire-protocol.md §3.1: every error reply is 12 bytes).
    static func headerStatus(_ decoder: inout XDRDecoder) -> HALError? {
        guard let header = try? decoder.decode(ReplyHeader.self), header.functionCode == number.rawValue,
              header.status.isKnown else { return nil }
        if header.status != .ok {
            do { try decoder.finish() } catch { return nil }
        }
        return header.status
    }
}

extension RPCFunction where Reply: XDRDecodable {
    /// Header checks, and for `HAL_OK` results that follow the layout exactly.
    public static func boardStatus(ofReply frame: [UInt8]) -> HALError? {
        var decoder = XDRDecoder(frame, strictness: .reply)
        guard let status = headerStatus(&decoder) else { return nil }
        guard status == .ok else { return status }
        do {
            _ = try Reply(from: &decoder)
            try decoder.finish()
        } catch {
            return nil
        }
        return status
    }
}
