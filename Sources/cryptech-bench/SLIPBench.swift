import CryptechTransport

/// SLIP encode and decode throughput on random and worst-case (all END) 16 KiB payloads.
enum SLIPBench {
    static func run() {
        var rng = SystemRandomNumberGenerator()
        let random = (0..<SLIP.maximumPayload).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let worst = [UInt8](repeating: SLIP.end, count: SLIP.maximumPayload)
        for (label, payload) in [("random", random), ("all_end", worst)] {
            measure(label: label, payload: payload)
        }
    }

    private static func measure(label: String, payload: [UInt8]) {
        var encoded = [UInt8](repeating: 0, count: SLIPEncoder.maximumEncodedLength(payload.count))
        let encodedCount = payload.withUnsafeBytes { p in
            encoded.withUnsafeMutableBytes { SLIPEncoder.encodeRaw(p, into: $0) }
        }
        let encodeRate = Bench.rate {
            payload.withUnsafeBytes { p in
                encoded.withUnsafeMutableBytes { SLIPEncoder.encodeRaw(p, into: $0) }
            }
        }
        BenchFigure(name: "slip.encode.\(label)", value: encodeRate * Double(payload.count) / 1e6, unit: "MB/s").print()

        let wire = Array(encoded.prefix(encodedCount))
        var decoder = SLIPDecoder()
        let decodeRate = Bench.rate {
            var size = 0
            wire.withUnsafeBytes { bytes in
                decoder.decode(bytes) { event in
                    if case .frame(let f) = event { size += f.count }
                }
            }
            return size
        }
        BenchFigure(name: "slip.decode.\(label)", value: decodeRate * Double(payload.count) / 1e6, unit: "MB/s").print()
    }
}
