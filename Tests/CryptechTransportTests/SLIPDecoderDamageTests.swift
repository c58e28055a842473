import CryptechTransport
import Testing

/// What the answering, pausable decode reported, in order.
private enum Seen: Equatable {
    case frame([UInt8])
    /// A fault with the bytes of the damaged frame decoded before it.
    case damaged(SLIPError, [UInt8])
}

/// Feeds `wire` in chunks of `chunk` bytes to the pausable decode, stopping after every
/// `stopEvery`-th event and passing the unconsumed rest again, as a server under
/// back-pressure does.
private func decodeStopping(_ wire: [UInt8], chunk: Int, stopEvery: Int = .max, maximum: Int = SLIP.maximumPayload) -> [Seen] {
    var decoder = SLIPDecoder(maximumFrameLength: maximum)
    var seen: [Seen] = []
    var offset = 0
    while offset < wire.count {
        var pending = Array(wire[offset..<min(wire.count, offset + chunk)])
        offset += pending.count
        while !pending.isEmpty {
            let consumed = pending.withUnsafeBytes { bytes in
                decoder.decode(bytes, frame: { frame in
                    seen.append(.frame(Array(frame)))
                    return seen.count % stopEvery != 0
                }, damaged: { error, prefix in
                    seen.append(.damaged(error, Array(prefix)))
                    return seen.count % stopEvery != 0
                })
            }
            #expect(consumed > 0 || pending.isEmpty)
            pending.removeFirst(consumed)
        }
    }
    return seen
}

@Suite struct SLIPDecoderDamageTests {
    /// A request header (GET_RANDOM, client 0x01020304) followed by `count` bytes.
    private func request(_ count: Int) -> [UInt8] {
        [0, 0, 0, 1, 1, 2, 3, 4] + (0..<count).map { UInt8(truncatingIfNeeded: $0) }
    }

    @Test(arguments: [1, 3, 8, 100, 70_000])
    func anOverlongFrameShowsItsFirstBytesHoweverChunked(chunk: Int) {
        let long = request(20_000)
        let seen = decodeStopping(SLIPEncoder.encode(long) + SLIPEncoder.encode([9, 9]), chunk: chunk)
        #expect(seen == [.damaged(.frameTooLong(limit: SLIP.maximumPayload), Array(long.prefix(SLIP.maximumPayload))), .frame([9, 9])])
    }

    @Test func aBadEscapeShowsTheBytesBeforeIt() {
        let header = request(4)
        let wire = [SLIP.end] + header + [SLIP.esc, 0x41, 7, 7, SLIP.end] + SLIPEncoder.encode([5])
        #expect(decodeStopping(wire, chunk: 64) == [.damaged(.invalidEscape(0x41), header), .frame([5])])
        // Before the header: too little to answer.
        let early: [UInt8] = [SLIP.end, 0, 0, SLIP.esc, 0x41, SLIP.end]
        #expect(decodeStopping(early, chunk: 64) == [.damaged(.invalidEscape(0x41), [0, 0])])
        // ESC END: the END still ends the frame, the next one decodes.
        let escEnd: [UInt8] = [SLIP.end] + header + [SLIP.esc, SLIP.end, 6, SLIP.end]
        #expect(decodeStopping(escEnd, chunk: 64) == [.damaged(.invalidEscape(SLIP.end), header), .frame([6])])
    }

    @Test(arguments: [1, 2, 3])
    func stoppingAndPassingTheRestAgainLosesNothing(stopEvery: Int) {
        let frames: [[UInt8]] = (0..<40).map { i in [UInt8(i), SLIP.end, SLIP.esc, UInt8(i)] }
        var wire: [UInt8] = []
        var expected: [Seen] = []
        for (i, frame) in frames.enumerated() {
            if i % 7 == 3 {
                let long = [UInt8](repeating: 0x55, count: 40)
                wire += SLIPEncoder.encode(long)
                expected.append(.damaged(.frameTooLong(limit: 32), Array(long.prefix(32))))
            }
            wire += SLIPEncoder.encode(frame)
            expected.append(.frame(frame))
        }
        for chunk in [1, 5, 4096] {
            #expect(decodeStopping(wire, chunk: chunk, stopEvery: stopEvery, maximum: 32) == expected, "chunk \(chunk)")
        }
    }

    @Test func aStopReportsTheBytesConsumedUpToThatFrame() {
        var decoder = SLIPDecoder()
        let wire = SLIPEncoder.encode([1, 2]) + SLIPEncoder.encode([3])
        let consumed = wire.withUnsafeBytes { bytes in
            decoder.decode(bytes, frame: { _ in false }, damaged: { _, _ in true })
        }
        #expect(consumed == 4, "END 1 2 END: the first frame and its closing END")
    }
}
