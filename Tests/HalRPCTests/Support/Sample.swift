import HalRPC
import Testing

/// One request/reply pair of one function, type-erased so every function can go through the
/// same parameterised tests.
struct Sample: Sendable, CustomTestStringConvertible {
    let name: String
    let function: FunctionNumber
    /// The `HAL_OK` reply message (client word ``Sample/client``).
    let replyFrame: [UInt8]
    /// Offsets (from the start of the results) of length and count words the peer controls.
    let lengthWords: [Int]
    /// Bytes at the end of the reply that may be missing (the SX1 range from legacy firmware).
    let optionalTail: Int
    /// Encodes and decodes request and reply in every direction; records expectation failures.
    let checkRoundTrip: @Sendable () -> Void
    /// Decodes a reply frame as the answer to this sample's request: `nil` when it decodes.
    let decode: @Sendable (_ frame: [UInt8], _ client: ClientHandle?) -> RPCReplyError?

    /// Decodes bytes as the results (what follows the reply header) of an `HAL_OK` reply to
    /// this sample's request, strictly: `true` when they decode.
    let decodeResults: @Sendable (_ results: [UInt8]) -> Bool

    /// Decodes a reply frame as a client does: `true` when it gives exactly this sample's reply.
    let decodesToReply: @Sendable (_ frame: [UInt8]) -> Bool

    /// The offsets in ``replyFrame`` of its XDR pad bytes, as the strict decoder finds them:
    /// the zero bytes that, made non-zero, it refuses as non-zero padding at that very offset.
    let paddingOffsets: @Sendable () -> [Int]

    static let client = ClientHandle(rawValue: 0x5DF0_A8B1)

    var testDescription: String { name }

    init<F: RPCFunction>(
        _ function: F.Type, _ variant: String = "", request: F.Request, reply: F.Reply,
        lengthWords: [Int] = [], optionalTail: Int = 0
    ) {
        name = "\(F.number)" + (variant.isEmpty ? "" : " (\(variant))")
        self.function = F.number
        let frame = F.encodeReply(reply, client: Self.client)
        replyFrame = frame
        self.lengthWords = lengthWords
        self.optionalTail = optionalTail
        checkRoundTrip = {
            let requestFrame = F.encodeRequest(request, client: Self.client)
            for strictness in [XDRDecoder.Strictness.firmware, .strict] {
                let decoded = try? F.decodeRequest(requestFrame, strictness: strictness)
                #expect(decoded?.0 == RequestHeader(function: F.number, client: Self.client))
                #expect(decoded?.1 == request, "request of \(F.number), \(strictness)")
            }
            let replyFrame = F.encodeReply(reply, client: Self.client)
            #expect((try? F.decodeReply(replyFrame, for: request, client: Self.client)) == .success(reply), "reply of \(F.number)")
            let errorFrame = F.encodeReply(.failure(.keyNotFound), client: Self.client)
            #expect(errorFrame.count == ReplyHeader.size)
            #expect((try? F.decodeReply(errorFrame, for: request, client: Self.client)) == .failure(.keyNotFound))
        }
        decodeResults = { results in
            var decoder = XDRDecoder(results)
            guard (try? F.decodeReply(from: &decoder, for: request)) != nil else { return false }
            return decoder.remaining == 0
        }
        decodesToReply = { frame in
            (try? F.decodeReply(frame, for: request, client: Self.client)) == .success(reply)
        }
        paddingOffsets = {
            (ReplyHeader.size..<frame.count).filter { offset in
                guard frame[offset] == 0 else { return false }
                var changed = frame
                changed[offset] = 0xA5
                var decoder = XDRDecoder(Array(changed[ReplyHeader.size...]), strictness: .strict)
                do throws(XDRError) {
                    _ = try F.decodeReply(from: &decoder, for: request)
                    try decoder.finish()
                    return false
                } catch {
                    return error == .nonZeroPadding(offset: offset - ReplyHeader.size)
                }
            }
        }
        decode = { frame, client in
            do throws(RPCReplyError) {
                _ = try F.decodeReply(frame, for: request, client: client)
                return nil
            } catch {
                return error
            }
        }
    }
}
