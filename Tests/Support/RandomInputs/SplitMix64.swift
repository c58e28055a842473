/// A small, fast, seedable generator (Steele, Lea, Flood 2014), so failures reproduce.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// A generator seeded from a name (a suite's, a decoder's), so each gets its own stream.
    public init(name: String) {
        self.init(seed: name.utf8.reduce(0) { $0 &* 31 &+ UInt64($1) })
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<bound` (`bound` > 0); slightly biased, which random inputs do not mind.
    public mutating func below(_ bound: Int) -> Int {
        Int(next() % UInt64(bound))
    }
}
