import HalRPC
import Testing

/// Replies from a misbehaving peer: each yields a typed error, never a trap.
@Suite struct HostileReplyTests {
    @Test(arguments: Samples.all)
    func truncatedAtEveryOffset(_ sample: Sample) {
        let frame = sample.replyFrame
        for length in 0..<frame.count {
            let result = sample.decode(Array(frame.prefix(length)), Sample.client)
            if sample.optionalTail > 0, length == frame.count - sample.optionalTail {
                #expect(result == nil, "legacy reply without the optional tail")
                continue
            }
            guard let error = result else {
                Issue.record("\(sample.name): \(length) of \(frame.count) bytes decoded")
                continue
            }
            if length < ReplyHeader.size {
                #expect(error == .headerTruncated(length: length))
            } else {
                // A cut list shows as a count larger than what is left.
                switch error {
                case .malformed(.truncated), .malformed(.countExceedsInput): break
                default: Issue.record("\(sample.name) cut to \(length): \(error)")
                }
            }
        }
    }

    @Test(arguments: Samples.all)
    func wrongFunctionNumber(_ sample: Sample) {
        var frame = sample.replyFrame
        frame[3] ^= 0x40
        #expect(sample.decode(frame, nil) == .unexpectedFunction(expected: sample.function, received: sample.function.rawValue ^ 0x40))
    }

    @Test(arguments: Samples.all)
    func wrongClientHandle(_ sample: Sample) {
        var frame = sample.replyFrame
        frame[7] ^= 1
        let received = ClientHandle(rawValue: Sample.client.rawValue ^ 1)
        #expect(sample.decode(frame, Sample.client) == .unexpectedClient(expected: Sample.client, received: received))
        // Through the muxd the word is not ours and is not checked (docs/wire-protocol.md §11.3).
        #expect(sample.decode(frame, nil) == nil)
    }

    @Test(arguments: Samples.all.filter { $0.replyFrame.count > ReplyHeader.size })
    func statusOKWithoutResults(_ sample: Sample) {
        let frame = Array(sample.replyFrame.prefix(ReplyHeader.size))
        guard case .malformed(.truncated)? = sample.decode(frame, Sample.client) else {
            Issue.record("\(sample.name): bare OK header accepted")
            return
        }
    }

    @Test(arguments: Samples.all.filter { !$0.lengthWords.isEmpty })
    func lengthWordOfAllOnes(_ sample: Sample) {
        for offset in sample.lengthWords {
            var frame = sample.replyFrame
            let at = ReplyHeader.size + offset
            frame.replaceSubrange(at..<at + 4, with: [0xFF, 0xFF, 0xFF, 0xFF])
            guard case .malformed(let error)? = sample.decode(frame, Sample.client) else {
                Issue.record("\(sample.name): 0xFFFFFFFF at \(offset) accepted")
                continue
            }
            switch error {
            case .lengthExceedsMaximum, .truncated, .countExceedsInput, .unexpectedLength, .badKeyNameLength: break
            default: Issue.record("\(sample.name): \(error)")
            }
        }
    }

    @Test(arguments: Samples.all)
    func trailingGarbage(_ sample: Sample) {
        for garbage in [[0x00], [0x00, 0x00, 0x00, 0x00], [0xDE, 0xAD, 0xBE, 0xEF, 0x01]] as [[UInt8]] {
            guard case .malformed? = sample.decode(sample.replyFrame + garbage, Sample.client) else {
                Issue.record("\(sample.name): \(garbage.count) trailing bytes accepted")
                continue
            }
        }
    }

    @Test(arguments: Samples.all)
    func errorReplyWithTrailingBytes(_ sample: Sample) {
        let frame = ReplyHeader.errorReply(functionCode: sample.function.rawValue, client: Sample.client, status: .forbidden) + [0, 0, 0, 1]
        #expect(sample.decode(frame, Sample.client) == .malformed(.trailingBytes(offset: 12, count: 4)))
    }

    /// libhal's XDR decoder steps over pad bytes without reading them, so a board may leave
    /// anything there; every reply decoder must read past it to the same value.
    @Test(arguments: Samples.all)
    func nonZeroPaddingIsNotLookedAt(_ sample: Sample) {
        var frame = sample.replyFrame
        for offset in sample.paddingOffsets() { frame[offset] = 0xA5 }
        #expect(sample.decodesToReply(frame), "\(sample.name): non-zero padding")
        // Everything else stays strict: trailing bytes and a cut frame are still refused.
        guard case .malformed? = sample.decode(frame + [0, 0, 0, 0], Sample.client) else {
            Issue.record("\(sample.name): trailing bytes after non-zero padding accepted")
            return
        }
        #expect(sample.decode(Array(frame.dropLast()), Sample.client) != nil, "\(sample.name): a cut frame with non-zero padding accepted")
    }

    /// Every function whose reply can hold padding (an opaque of any length; key names are
    /// always 16 bytes and never padded) has a sample with padding for the test above.
    @Test func everyPaddedReplyHasASample() {
        let padded = Set(Samples.all.filter { !$0.paddingOffsets().isEmpty }.map(\.function))
        #expect(padded == [.getRandom, .hashGetDigestAlgorithmID, .hashFinalize, .pkeyGetPublicKey, .pkeySign, .pkeyGetAttributes, .pkeyExport])
    }

    @Test func padBytesMustStillBeThere() throws {
        // GET_RANDOM of 5 bytes: 3 pad bytes at 21…23, checked for presence only.
        let request = RPC.GetRandom.Request(count: 5)
        var frame = RPC.GetRandom.encodeReply(.init(bytes: [1, 2, 3, 4, 5]), client: .zero)
        frame.replaceSubrange(21..<24, with: [0x80, 0x01, 0xFF])
        #expect(try RPC.GetRandom.decodeReply(frame, for: request) == .success(.init(bytes: [1, 2, 3, 4, 5])))
        // A signature of 3 bytes whose padding is cut off.
        let sign = RPC.PKeySign.Request(pkey: Samples.pkey, hash: .noHandle, input: [1], signatureMaximum: 64)
        let cut = Array(RPC.PKeySign.encodeReply(.init(signature: [9, 9, 9]), client: .zero).dropLast())
        #expect(throws: RPCReplyError.malformed(.truncated(offset: 19, needed: 1, available: 0))) {
            try RPC.PKeySign.decodeReply(cut, for: sign)
        }
    }

    @Test func moreThanAskedFor() {
        let sign = RPC.PKeySign.Request(pkey: Samples.pkey, hash: .noHandle, input: [1], signatureMaximum: 64)
        let frame = RPC.PKeySign.encodeReply(.init(signature: Array(repeating: 1, count: 65)), client: .zero)
        #expect(throws: RPCReplyError.malformed(.lengthExceedsMaximum(offset: 12, length: 65, maximum: 64))) {
            try RPC.PKeySign.decodeReply(frame, for: sign)
        }
        let random = RPC.GetRandom.encodeReply(.init(bytes: [1, 2, 3]), client: .zero)
        #expect(throws: RPCReplyError.malformed(.unexpectedLength(offset: 12, length: 3, expected: 4))) {
            try RPC.GetRandom.decodeReply(random, for: .init(count: 4))
        }
        let match = RPC.PKeyMatch.Request(
            session: .zero, type: .none, curve: .none, mask: [], flags: [], attributes: [], state: .start, resultMaximum: 1,
            previous: .zero)
        let two = RPC.PKeyMatch.encodeReply(.init(state: .done, names: [Samples.name1, Samples.name2]), client: .zero)
        #expect(throws: RPCReplyError.malformed(.countExceedsInput(offset: 16, count: 2, maximum: 1))) {
            try RPC.PKeyMatch.decodeReply(two, for: match)
        }
    }

    @Test func keyNameOfWrongLength() {
        var frame = RPC.PKeyLoad.encodeReply(NewKey(pkey: Samples.pkey, name: Samples.name1), client: .zero)
        frame[19] = 0x14
        frame += [0, 0, 0, 0]
        let request = RPC.PKeyLoad.Request(session: .zero, der: [1], flags: [])
        #expect(throws: RPCReplyError.malformed(.badKeyNameLength(offset: 16, length: 20))) {
            try RPC.PKeyLoad.decodeReply(frame, for: request)
        }
    }
}
