import CryptechTransport
import Testing

/// Feeds `wire` to a fresh decoder in chunks of `chunk` bytes and collects the events.
private func decodeAll(_ wire: [UInt8], chunk: Int = .max, maximum: Int = SLIP.maximumPayload) -> [SLIPDecoder.Event] {
    var decoder = SLIPDecoder(maximumFrameLength: maximum)
    var events: [SLIPDecoder.Event] = []
    var offset = 0
    while offset < wire.count {
        let end = min(wire.count, offset + max(1, min(chunk, wire.count)))
        decoder.decode(Array(wire[offset..<end])) { events.append($0) }
        offset = end
    }
    if let error = decoder.finish() { events.append(.error(error)) }
    return events
}

@Suite struct SLIPDecoderTests {
    @Test func everyByteValueRoundTrips() {
        let payload = (0...255).map { UInt8($0) }
        let wire = SLIPEncoder.encode(payload)
        #expect(wire.first == SLIP.end && wire.last == SLIP.end)
        #expect(wire.count == payload.count + 2 + 2, "C0 and DB each take one extra byte")
        #expect(decodeAll(wire) == [.frame(payload)])
    }

    @Test func escapesMatchTheSpec() {
        // Golden G6 of docs/wire-protocol.md: HASH_UPDATE with data C0 DB 01.
        let payload: [UInt8] = [0, 0, 0, 0x0B, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 3, 0xC0, 0xDB, 1, 0]
        let wire: [UInt8] = [0xC0, 0, 0, 0, 0x0B, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 3, 0xDB, 0xDC, 0xDB, 0xDD, 1, 0, 0xC0]
        #expect(SLIPEncoder.encode(payload) == wire)
        #expect(decodeAll(wire) == [.frame(payload)])
    }

    @Test func splitAtEveryBoundary() {
        let payload: [UInt8] = [1, 0xC0, 2, 0xDB, 3, 0xC0, 0xC0, 0xDB, 0xDB] + (0..<40).map { UInt8($0) }
        let wire = SLIPEncoder.encode(payload)
        for cut in 0...wire.count {
            var decoder = SLIPDecoder()
            var events: [SLIPDecoder.Event] = []
            decoder.decode(Array(wire[..<cut])) { events.append($0) }
            decoder.decode(Array(wire[cut...])) { events.append($0) }
            #expect(events == [.frame(payload)], "split at \(cut)")
        }
    }

    @Test(arguments: [1, 2, 3, 7, 16, 17, 64, 4096])
    func chunkSizes(chunk: Int) {
        let frames: [[UInt8]] = [[1, 2, 3], [0xC0], [0xDB, 0xDB], (0..<300).map { UInt8($0 & 0xFF) }]
        let wire = frames.flatMap { SLIPEncoder.encode($0) }
        #expect(decodeAll(wire, chunk: chunk) == frames.map { .frame($0) })
    }

    @Test func backToBackFramesInOneRead() {
        let wire = SLIPEncoder.encode([1]) + SLIPEncoder.encode([2]) + SLIPEncoder.encode([3])
        #expect(decodeAll(wire) == [.frame([1]), .frame([2]), .frame([3])])
    }

    @Test func leadingTrailingAndDuplicateENDsAreSkipped() {
        let wire: [UInt8] = [0xC0, 0xC0, 0xC0, 9, 8, 0xC0, 0xC0, 0xC0, 7, 0xC0, 0xC0]
        #expect(decodeAll(wire) == [.frame([9, 8]), .frame([7])])
        #expect(decodeAll([0xC0, 0xC0]) == [])
    }

    @Test func noLeadingENDStillDecodes() {
        #expect(decodeAll([5, 6, 0xC0]) == [.frame([5, 6])])
    }

    @Test func overlongFrameIsReportedThenTheNextFrameDecodes() {
        let long = [UInt8](repeating: 0x41, count: 101)
        let good: [UInt8] = [1, 2, 3]
        for chunk in [1, 5, 1000] {
            let events = decodeAll(SLIPEncoder.encode(long) + SLIPEncoder.encode(good), chunk: chunk, maximum: 100)
            #expect(events == [.error(.frameTooLong(limit: 100)), .frame(good)], "chunk \(chunk)")
        }
        // Exactly at the limit is fine, escaped bytes count once.
        let limit = [UInt8](repeating: 0xC0, count: 100)
        #expect(decodeAll(SLIPEncoder.encode(limit), maximum: 100) == [.frame(limit)])
    }

    @Test func overlongCountsInStatistics() {
        var decoder = SLIPDecoder(maximumFrameLength: 4)
        decoder.decode(SLIPEncoder.encode([1, 2, 3, 4, 5]) + SLIPEncoder.encode([1])) { _ in }
        #expect(decoder.statistics.overlongFrames == 1)
        #expect(decoder.statistics.frames == 1)
    }

    @Test func invalidEscapeDropsTheFrameAndResynchronises() {
        let wire: [UInt8] = [0xC0, 1, 0xDB, 0x41, 2, 0xC0, 3, 0xC0]
        #expect(decodeAll(wire) == [.error(.invalidEscape(0x41)), .frame([3])])
    }

    @Test func escapeBeforeENDEndsTheBrokenFrame() {
        let wire: [UInt8] = [0xC0, 1, 0xDB, 0xC0, 4, 0xC0]
        #expect(decodeAll(wire) == [.error(.invalidEscape(0xC0)), .frame([4])])
    }

    @Test func escapeStateDoesNotLeakAcrossInstances() {
        // libhal's decoder keeps "previous byte was ESC" process-wide; ours is per instance.
        var a = SLIPDecoder()
        var b = SLIPDecoder()
        a.decode([0xC0, 1, 0xDB]) { _ in }
        var events: [SLIPDecoder.Event] = []
        b.decode([0xC0, 0xDC, 0xC0]) { events.append($0) }
        #expect(events == [.frame([0xDC])])
    }

    @Test func truncatedStreamIsReported() {
        #expect(decodeAll([0xC0, 1, 2, 3]) == [.error(.truncated(received: 3))])
        #expect(decodeAll([0xC0, 1, 0xDB]) == [.error(.truncated(received: 1))])
        #expect(decodeAll([0xC0]) == [])
    }

    @Test func propertyEncodeThenDecodeIsIdentity() {
        var rng = SystemRandomNumberGenerator()
        for round in 0..<3000 {
            let count = Int.random(in: 1...(round % 10 == 0 ? 16384 : 300), using: &rng)
            // Bias towards the special bytes so escapes are frequent.
            let payload = (0..<count).map { _ -> UInt8 in
                switch Int.random(in: 0..<8, using: &rng) {
                case 0: SLIP.end
                case 1: SLIP.esc
                default: UInt8.random(in: 0...255, using: &rng)
                }
            }
            let chunk = Int.random(in: 1...64, using: &rng)
            let events = decodeAll(SLIPEncoder.encode(payload), chunk: round % 2 == 0 ? chunk : .max)
            guard events == [.frame(payload)] else {
                Issue.record("round \(round): payload of \(count) bytes did not round-trip")
                return
            }
        }
    }

    @Test func lentFramesMatchTheEventsInEveryChunking() {
        // Frames with escapes, an empty frame, an invalid escape and an overlong frame.
        let wire: [UInt8] = SLIPEncoder.encode([1, 0xC0, 2]) + [0xC0, 0xC0] + [9, 0xDB, 0x01, 0xC0]
            + SLIPEncoder.encode([UInt8](repeating: 7, count: 40)) + SLIPEncoder.encode([0xDB, 3])
        for chunk in [1, 2, 3, 5, wire.count] {
            var decoder = SLIPDecoder(maximumFrameLength: 32)
            var lent: [SLIPDecoder.Event] = []
            var offset = 0
            while offset < wire.count {
                let end = min(wire.count, offset + chunk)
                Array(wire[offset..<end]).withUnsafeBytes { bytes in
                    decoder.decode(bytes, frame: { frame in
                        lent.append(.frame(Array(frame)))
                        // The bytes are the caller's to change; the next frame is unaffected.
                        frame.initializeMemory(as: UInt8.self, repeating: 0xEE)
                    }, fault: { lent.append(.error($0)) })
                }
                offset = end
            }
            #expect(lent == decodeAll(wire, chunk: chunk, maximum: 32), "chunk \(chunk)")
            #expect(lent.first == .frame([1, 0xC0, 2]))
            #expect(lent.last == .frame([0xDB, 3]))
        }
    }

    @Test func appendCoalescesFrames() {
        var out: [UInt8] = []
        [[1, 0xC0], [2]].forEach { (p: [UInt8]) in p.withUnsafeBytes { SLIPEncoder.append($0, to: &out) } }
        #expect(out == [0xC0, 1, 0xDB, 0xDC, 0xC0, 0xC0, 2, 0xC0])
    }
}
