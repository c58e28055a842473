/// The inputs every random-input suite feeds its decoder: a fixed-seed stream mixing pure
/// random bytes with valid encodings changed the ways that get past a decoder's first checks
/// (pure random bytes rarely get past the first length check):
///
/// - bits flipped, bytes set to boundary values (0x00, 0x7F, 0x80, 0xFF);
/// - cut short, extended with random bytes, a range deleted or duplicated;
/// - a big-endian word set huge (0xFFFFFFFF, 0x7FFFFFFF, 0x80000000, 0x00010000): a length or
///   count field claiming more than is there;
/// - spliced: the head of one valid encoding and the tail of another;
/// - a token of the decoder's own syntax inserted or written over (JSON punctuation, a DER
///   long-form length, a SLIP escape), from `dictionary`.
///
/// Inputs are written into a caller's buffer, so a loop of 100,000 allocates almost nothing.
public struct RandomInputs {
    /// Inputs per decoder in the test suites.
    public static let countPerDecoder = 100_000

    public private(set) var rng: SplitMix64
    private let valid: [[UInt8]]
    private let dictionary: [[UInt8]]
    private let maximumRandomCount: Int

    /// - Parameters:
    ///   - seed: the stream's seed (fixed, so a failure reproduces).
    ///   - valid: valid encodings to change; at least one.
    ///   - dictionary: tokens of the format's syntax to insert.
    ///   - maximumRandomCount: the longest pure-random input.
    public init(seed: UInt64, valid: [[UInt8]], dictionary: [[UInt8]] = [], maximumRandomCount: Int = 96) {
        precondition(!valid.isEmpty, "random inputs need at least one valid encoding to change")
        rng = SplitMix64(seed: seed)
        self.valid = valid
        self.dictionary = dictionary
        self.maximumRandomCount = maximumRandomCount
    }

    /// Writes the next input into `bytes` (replacing what was there).
    public mutating func next(into bytes: inout [UInt8]) {
        bytes.removeAll(keepingCapacity: true)
        let roll = rng.next()
        switch roll % 8 {
        case 0:
            // Pure random bytes.
            for _ in 0..<rng.below(maximumRandomCount + 1) { bytes.append(UInt8(truncatingIfNeeded: rng.next())) }
        case 1:
            // The head of one valid encoding, the tail of another.
            let first = valid[rng.below(valid.count)], second = valid[rng.below(valid.count)]
            bytes += first[..<rng.below(first.count + 1)]
            bytes += second[rng.below(second.count + 1)...]
        default:
            bytes += valid[rng.below(valid.count)]
            for _ in 0..<(1 + Int(roll >> 8 % 3)) { mutate(&bytes) }
        }
    }

    /// One change to `bytes`.
    private mutating func mutate(_ bytes: inout [UInt8]) {
        let choice = rng.below(dictionary.isEmpty ? 8 : 10)
        guard !bytes.isEmpty || choice == 3 || choice >= 8 else {
            bytes.append(UInt8(truncatingIfNeeded: rng.next()))
            return
        }
        switch choice {
        case 0:
            bytes[rng.below(bytes.count)] ^= 1 << UInt8(rng.below(8))
        case 1:
            let boundaries: [UInt8] = [0x00, 0x7F, 0x80, 0xFF]
            bytes[rng.below(bytes.count)] = boundaries[rng.below(boundaries.count)]
        case 2:
            bytes.removeLast(1 + rng.below(bytes.count))
        case 3:
            for _ in 0..<(1 + rng.below(8)) { bytes.append(UInt8(truncatingIfNeeded: rng.next())) }
        case 4:
            let start = rng.below(bytes.count)
            bytes.removeSubrange(start..<min(bytes.count, start + 1 + rng.below(16)))
        case 5:
            let start = rng.below(bytes.count)
            let range = start..<min(bytes.count, start + 1 + rng.below(32))
            bytes.insert(contentsOf: Array(bytes[range]), at: rng.below(bytes.count + 1))
        case 6, 7:
            let huge: [UInt32] = [0xFFFF_FFFF, 0x7FFF_FFFF, 0x8000_0000, 0x0001_0000]
            let word = huge[rng.below(huge.count)]
            let at = rng.below(bytes.count)
            for shift in stride(from: 24, through: 0, by: -8) where at + (3 - shift / 8) < bytes.count {
                bytes[at + (3 - shift / 8)] = UInt8(truncatingIfNeeded: word >> UInt32(shift))
            }
        default:
            let token = dictionary[rng.below(dictionary.count)]
            let at = rng.below(bytes.count + 1)
            if choice == 8 || at == bytes.count {
                bytes.insert(contentsOf: token, at: at)
            } else {
                bytes.replaceSubrange(at..<min(bytes.count, at + token.count), with: token)
            }
        }
    }
}
