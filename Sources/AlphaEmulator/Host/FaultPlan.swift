/// Faults to inject into replies for robustness tests (`--fault drop=P,corrupt=P,delay=MS,seed=S`).
///
/// Faults apply to replies only, after the request has been fully processed: a dropped
/// signature reply has still consumed its one-time key, exactly like a reply lost on a real
/// link (design.md, "What the firmware really does to capacity").
public struct FaultPlan: Sendable, Hashable, CustomStringConvertible {
    /// Probability (0…1) that a reply is never sent.
    public var dropProbability: Double
    /// Probability (0…1) that one bit of a reply's payload is flipped before SLIP encoding.
    public var corruptProbability: Double
    /// How long every reply is held back.
    public var delay: Duration
    /// Seed of the fault generator, so a failing run can be repeated.
    public var seed: UInt64

    /// The default plan injects nothing.
    /// - Parameters:
    ///   - dropProbability: the chance (0…1) that a reply is never sent.
    ///   - corruptProbability: the chance (0…1) that a reply has one bit flipped.
    ///   - delay: how long every reply is held back.
    ///   - seed: the fault generator's seed, to repeat a run.
    public init(dropProbability: Double = 0, corruptProbability: Double = 0, delay: Duration = .zero, seed: UInt64 = 0) {
        self.dropProbability = dropProbability
        self.corruptProbability = corruptProbability
        self.delay = delay
        self.seed = seed
    }

    /// Parses the option's text, e.g. `drop=0.1,corrupt=0.05,delay=20,seed=7`. Every key is
    /// optional; `delay` is in milliseconds.
    /// - Throws: ``EmulatorOptionError`` for an unknown key or a value out of range.
    public init(parsing text: String) throws(EmulatorOptionError) {
        self.init()
        for part in text.split(separator: ",") where !part.isEmpty {
            let pieces = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard pieces.count == 2 else { throw .invalid("--fault", "expected key=value, got '\(part)'") }
            switch pieces[0] {
            case "drop": dropProbability = try Self.probability(pieces[1], "drop")
            case "corrupt": corruptProbability = try Self.probability(pieces[1], "corrupt")
            case "delay":
                guard let ms = Int(pieces[1]), ms >= 0 else { throw .invalid("--fault", "delay must be whole milliseconds ≥ 0") }
                delay = .milliseconds(ms)
            case "seed":
                guard let seed = UInt64(pieces[1]) else { throw .invalid("--fault", "seed must be an unsigned integer") }
                self.seed = seed
            default:
                throw .invalid("--fault", "unknown key '\(pieces[0])' (drop, corrupt, delay, seed)")
            }
        }
    }

    /// Whether this plan changes anything.
    public var isActive: Bool { dropProbability > 0 || corruptProbability > 0 || delay > .zero }

    /// The plan in the `--fault` syntax, for the start-up log (the delay is printed as a
    /// `Duration`, not in milliseconds).
    public var description: String {
        "drop=\(dropProbability),corrupt=\(corruptProbability),delay=\(delay),seed=\(seed)"
    }

    private static func probability(_ text: String, _ key: String) throws(EmulatorOptionError) -> Double {
        guard let value = Double(text), value >= 0, value <= 1 else {
            throw .invalid("--fault", "\(key) must be a probability between 0 and 1")
        }
        return value
    }
}

/// Applies a ``FaultPlan`` reply by reply, from a seeded generator (SplitMix64), so a given
/// seed and request sequence always give the same faults.
struct FaultInjector: Sendable {
    /// What happens to one reply.
    enum Decision: Equatable {
        case drop
        case send([UInt8], delay: Duration)
    }

    let plan: FaultPlan
    private var state: UInt64

    init(plan: FaultPlan) {
        self.plan = plan
        state = plan.seed
    }

    mutating func apply(to reply: [UInt8]) -> Decision {
        if plan.dropProbability > 0, nextUnit() < plan.dropProbability { return .drop }
        var bytes = reply
        if plan.corruptProbability > 0, nextUnit() < plan.corruptProbability, !bytes.isEmpty {
            let position = Int(next() % UInt64(bytes.count))
            bytes[position] ^= UInt8(1) << UInt8(next() % 8)
        }
        return .send(bytes, delay: plan.delay)
    }

    private mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform value in [0, 1).
    private mutating func nextUnit() -> Double {
        Double(next() >> 11) / Double(UInt64(1) << 53)
    }
}
