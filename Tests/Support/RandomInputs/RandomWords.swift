/// Random strings shaped like XDR: mostly whole words biased to small numbers, 16 (a key
/// name's length) and all-ones, then a few loose bytes, so lengths and counts often fit and
/// the decoders go deep; sometimes plain random bytes.
public enum RandomWords {
    /// A random string of random length (up to 56 bytes).
    public static func fill(_ bytes: inout [UInt8], using rng: inout SplitMix64) {
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
    public static func fill(_ bytes: inout [UInt8], count: Int, using rng: inout SplitMix64) {
        bytes.removeAll(keepingCapacity: true)
        while bytes.count + 4 <= count { appendWord(to: &bytes, using: &rng) }
        while bytes.count < count { bytes.append(UInt8(truncatingIfNeeded: rng.next())) }
    }

    /// `valid` with one to three random bytes changed, sometimes cut short or extended.
    public static func mutate(_ valid: [UInt8], into bytes: inout [UInt8], using rng: inout SplitMix64) {
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
