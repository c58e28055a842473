import HalRPC
import RandomInputs
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
    static let stringsPerDecoder = RandomInputs.countPerDecoder

    @Test(arguments: Samples.all)
    func randomResultsNeverTrap(_ sample: Sample) async {
        var rng = SplitMix64(name: sample.name)
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
