import CryptechTransport
import FuzzDriver

// A SLIP stream: however it is chunked, the same frames and faults; every frame within the
// limit; frames encoded again decode to the same frames.
let limit = 48

func events(_ stream: [UInt8], chunk: Int) -> [SLIPDecoder.Event] {
    var decoder = SLIPDecoder(maximumFrameLength: limit)
    var events: [SLIPDecoder.Event] = []
    var offset = 0
    repeat {
        let next = min(stream.count, offset + chunk)
        decoder.decode(Array(stream[offset..<next])) { events.append($0) }
        offset = next
    } while offset < stream.count
    if let fault = decoder.finish() { events.append(.error(fault)) }
    return events
}

Fuzzer.run(seeds: {
    [SLIPEncoder.encode([0, 0, 0, 1, 1, 2, 3, 4]) + SLIPEncoder.encode([SLIP.end, SLIP.esc, 7, SLIP.escEnd]),
     SLIPEncoder.encode(Array(repeating: SLIP.esc, count: 30))]
}) { stream in
    let whole = events(stream, chunk: max(1, stream.count))
    // The first byte picks the chunk size, so libFuzzer explores chunkings too.
    precondition(events(stream, chunk: 1 + Int(stream.first ?? 0) % 13) == whole, "chunking changed what was decoded")
    let frames = whole.compactMap { event -> [UInt8]? in
        if case .frame(let frame) = event { frame } else { nil }
    }
    precondition(frames.allSatisfy { !$0.isEmpty && $0.count <= limit }, "an empty or overlong frame")
    precondition(events(frames.flatMap(SLIPEncoder.encode), chunk: 4096) == frames.map(SLIPDecoder.Event.frame), "frames do not round-trip")
}
