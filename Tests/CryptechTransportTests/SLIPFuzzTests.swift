import CryptechTransport
import RandomInputs
import Testing

/// Random and damaged SLIP streams against the decoder: it never traps; every frame it
/// returns is non-empty and within its limit; how the stream is chunked changes nothing; and
/// its frames, encoded again, decode to the same frames.
@Suite struct SLIPFuzzTests {
    /// Small, so that overlong frames are common.
    static let limit = 48

    static let valid: [[UInt8]] = [
        SLIPEncoder.encode([0, 0, 0, 1, 1, 2, 3, 4]) + SLIPEncoder.encode([SLIP.end, SLIP.esc, 7, SLIP.escEnd]),
        [SLIP.end, SLIP.end] + SLIPEncoder.encode(Array(repeating: SLIP.esc, count: 20)),
        SLIPEncoder.encode((0..<40).map { UInt8($0) }) + SLIPEncoder.encode([SLIP.escEsc]),
    ]

    static let dictionary: [[UInt8]] = [
        [SLIP.end], [SLIP.esc], [SLIP.esc, SLIP.escEnd], [SLIP.esc, SLIP.escEsc], [SLIP.esc, 0x41], [SLIP.esc, SLIP.end],
        [SLIP.esc, SLIP.esc], Array(repeating: 0x55, count: limit + 1),
    ]

    /// Every event of `stream`, fed `chunk` bytes at a time (all at once for `nil`), and the
    /// fault `finish()` reports.
    static func events(_ stream: [UInt8], chunk: Int?) -> (events: [SLIPDecoder.Event], end: SLIPError?) {
        var decoder = SLIPDecoder(maximumFrameLength: limit)
        var events: [SLIPDecoder.Event] = []
        var offset = 0
        repeat {
            let next = min(stream.count, offset + (chunk ?? stream.count))
            decoder.decode(Array(stream[offset..<next])) { events.append($0) }
            offset = next
        } while offset < stream.count
        return (events, decoder.finish())
    }

    @Test func randomStreams() async {
        var inputs = RandomInputs(seed: 0x534C_4950, valid: Self.valid, dictionary: Self.dictionary, maximumRandomCount: 160)
        var chunks = SplitMix64(seed: 0xC4_0C4)
        var stream: [UInt8] = []
        var frames = 0, faults = 0
        // Checked without `#expect` in the loop, which costs more than the decoding.
        var wrong: [[UInt8]] = []
        for index in 0..<RandomInputs.countPerDecoder {
            inputs.next(into: &stream)
            let whole = Self.events(stream, chunk: nil)
            let chunked = Self.events(stream, chunk: 1 + chunks.below(12))
            var decodedFrames: [[UInt8]] = []
            for event in whole.events {
                switch event {
                case .frame(let frame): decodedFrames.append(frame)
                case .error: faults += 1
                }
            }
            frames += decodedFrames.count
            let again = Self.events(decodedFrames.flatMap(SLIPEncoder.encode), chunk: nil)
            let right = chunked.events == whole.events && chunked.end == whole.end
                && decodedFrames.allSatisfy { !$0.isEmpty && $0.count <= Self.limit }
                && again.events == decodedFrames.map(SLIPDecoder.Event.frame) && again.end == nil
            if !right, wrong.count < 5 { wrong.append(stream) }
            if index % 512 == 511 { await Task.yield() }
        }
        #expect(wrong.isEmpty, "\(wrong)")
        // Both the frame and the fault paths were reached, many times.
        #expect(frames > 1000 && faults > 1000)
    }
}
