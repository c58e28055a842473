import HalRPC
import Testing

/// Random byte strings against every reply decoder: each must return or throw, never trap.
///
/// Swift Testing captures a backtrace for every error thrown in the test process (a few
/// microseconds each in a debug build), so each string is fed straight to the function's
/// results decoder (one throw when it fails); the header checks in front of it are shared
/// by every function and get their own run.
///
/// The loops yield now and then: they run on the shared cooperative pool, and the timing
/// tests of ``HSMClientTests`` must not starve behind them.
@Suite struct ReplyFuzzTests {
    static let stringsPerDecoder = 100_000

    @Test(arguments: Samples.all)
    func randomResultsNeverTrap(_ sample: Sample) async {
        var rng = SplitMix64(seed: UInt64(sample.name.utf8.reduce(0) { $0 &* 31 &+ UInt64($1) }))
        var decoded = 0
        var bytes: [UInt8] = []
        bytes.reserveCapacity(128)
        let valid = Array(sample.replyFrame.dropFirst(ReplyHeader.size))
        for index in 0..<Self.stringsPerDecoder {
            switch index % 3 {
            case 0: RandomWords.fill(&bytes, using: &rng)
            case 1: RandomWords.fill(&bytes, count: valid.count, using: &rng)
            default: RandomWords.mutate(valid, into: &bytes, using: &rng)
            }
            if sample.decodeResults(bytes) { decoded += 1 }
            if index % 512 == 511 { await Task.yield() }
        }
        // Some strings decode: the decoders' inner paths were reached, not only the first check.
        #expect(decoded > 0)
    }

    @Test func randomWholeRepliesNeverTrap() async {
        var rng = SplitMix64(seed: 1)
        var frame: [UInt8] = []
        frame.reserveCapacity(128)
        for index in 0..<Self.stringsPerDecoder {
            let sample = Samples.all[index % Samples.all.count]
            frame.removeAll(keepingCapacity: true)
            if index & 1 == 0 {
                // The right header, so the status and results checks are reached.
                for byte in sample.replyFrame[0..<8] { frame.append(byte) }
            }
            var rest: [UInt8] = []
            RandomWords.fill(&rest, using: &rng)
            frame += rest
            _ = sample.decode(frame, index & 2 == 0 ? Sample.client : nil)
            if index % 512 == 511 { await Task.yield() }
        }
    }
}

/// Random strings shaped like XDR: mostly whole words biased to small numbers, 16 (a key
/// name's length) and all-ones, then a few loose bytes, so lengths and counts often fit and
/// the decoders go deep; sometimes plain random bytes.
enum RandomWords {
    /// A random string of random length (up to 56 bytes).
    static func fill(_ bytes: inout [UInt8], using rng: inout SplitMix64) {
        bytes.removeAll(keepingCapacity: true)
        let roll = rng.next()
        if roll & 7 == 0 {
            for _ in 0..<Int(roll >> 8 % 40) { bytes.append(UInt8(truncatingIfNeeded: rng.next())) }
            return
        }
        for _ in 0..<Int(roll >> 5 % 14) { appendWord(to: &bytes, using: &rng) }
        if roll >> 12 & 3 == 0 {
            for _ in 0..<Int(roll >> 14 % 4) { bytes.append(UInt8(truncatingIfNeeded: rng.next())) }
        }
    }

    /// A random string of exactly `count` bytes.
    static func fill(_ bytes: inout [UInt8], count: Int, using rng: inout SplitMix64) {
        bytes.removeAll(keepingCapacity: true)
        while bytes.count + 4 <= count { appendWord(to: &bytes, using: &rng) }
        while bytes.count < count { bytes.append(UInt8(truncatingIfNeeded: rng.next())) }
    }

    /// `valid` with one to three random bytes changed, sometimes cut short or extended.
    static func mutate(_ valid: [UInt8], into bytes: inout [UInt8], using rng: inout SplitMix64) {
        bytes.removeAll(keepingCapacity: true)
        bytes += valid
        let roll = rng.next()
        for i in 0..<Int(1 + roll % 3) where !bytes.isEmpty {
            let r = rng.next()
            bytes[Int(r % UInt64(bytes.count))] = i == 0 && roll & 8 == 0 ? 0xFF : UInt8(truncatingIfNeeded: r >> 32)
        }
        switch roll >> 4 & 7 {
        case 0: bytes.removeLast(Int(roll >> 8 % UInt64(bytes.count + 1)))
        case 1: for _ in 0..<Int(1 + roll >> 8 % 8) { bytes.append(UInt8(truncatingIfNeeded: rng.next())) }
        default: break
        }
    }

    private static func appendWord(to bytes: inout [UInt8], using rng: inout SplitMix64) {
        let r = rng.next()
        switch r & 7 {
        case 0, 1, 2, 3: append(UInt32(truncatingIfNeeded: r >> 8) % 24, to: &bytes)
        case 4: append(16, to: &bytes)
        case 5: append(0xFFFF_FFFF, to: &bytes)
        default: append(UInt32(truncatingIfNeeded: r >> 16), to: &bytes)
        }
    }

    private static func append(_ word: UInt32, to bytes: inout [UInt8]) {
        bytes.append(UInt8(truncatingIfNeeded: word >> 24))
        bytes.append(UInt8(truncatingIfNeeded: word >> 16))
        bytes.append(UInt8(truncatingIfNeeded: word >> 8))
        bytes.append(UInt8(truncatingIfNeeded: word))
    }
}

/// A small, fast, seedable generator (Steele, Lea, Flood 2014), so failures reproduce.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
