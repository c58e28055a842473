/// What a run of random inputs through one decoder found.
public struct RoundTripRun: Sendable {
    /// Inputs that decoded: more than zero shows the decoder's inner paths were reached, not
    /// only its first check.
    public var decoded = 0
    /// Inputs that decoded to a value whose encoding does not decode to the same value (the
    /// first few, to show in the failure).
    public var mismatches: [[UInt8]] = []

    /// Feeds ``RandomInputs/countPerDecoder`` inputs to `decode`, and re-encodes and decodes
    /// again every value it returns. A trap fails the run by crashing the test process, a
    /// typed error shows as `nil`.
    ///
    /// Yields now and then: the loop runs on the shared cooperative pool, which timing tests
    /// running beside it must not lose.
    /// - Parameters:
    ///   - inputs: the input stream.
    ///   - canonical: whether a value's encoding must be the very bytes it was decoded from
    ///     (one encoding per value, as DER's).
    ///   - decode: the decoder under test; `nil` when it refused the input.
    ///   - encode: the matching encoder.
    public static func run<Value: Equatable>(
        _ inputs: RandomInputs,
        canonical: Bool = false,
        decode: ([UInt8]) -> Value?,
        encode: (Value) -> [UInt8]
    ) async -> RoundTripRun {
        var inputs = inputs
        var result = RoundTripRun()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256)
        for index in 0..<RandomInputs.countPerDecoder {
            inputs.next(into: &bytes)
            if let value = decode(bytes) {
                result.decoded += 1
                let encoded = encode(value)
                let same = canonical ? encoded == bytes : decode(encoded) == value
                if !same, result.mismatches.count < 5 { result.mismatches.append(bytes) }
            }
            if index % 512 == 511 { await Task.yield() }
        }
        return result
    }
}
