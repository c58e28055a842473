/// A token bucket that holds one direction of the emulated serial line to the real link's
/// speed: `--baud N` gives N / 10 bytes per second (8N1: a start bit, eight data bits, a stop
/// bit per byte), as the Alpha's UART at 921600 baud moves 92,160 bytes per second.
///
/// The bucket refills continuously and holds at most 16 ms of traffic, so that bursts stay
/// short and the long-run rate is exact (design.md, "The software Alpha").
struct LineThrottle: Sendable {
    /// Bytes per second in this direction.
    let bytesPerSecond: Double
    /// The most bytes that may leave at once after an idle spell.
    let burst: Double
    private var credit: Double
    private var last: ContinuousClock.Instant

    /// - Parameters:
    ///   - baud: the line speed in bits per second; ten bits per byte.
    ///   - now: the starting instant.
    init(baud: Int, now: ContinuousClock.Instant) {
        bytesPerSecond = Double(baud) / 10
        // 16 ms of traffic (1474 bytes at 921600 baud), never less than one small frame: poll
        // wakes up in whole milliseconds, often late, and credit beyond the burst is lost.
        burst = max(64, bytesPerSecond / 62.5)
        credit = burst
        last = now
    }

    /// Whole bytes that may pass now.
    mutating func available(at now: ContinuousClock.Instant) -> Int {
        refill(now)
        return Int(credit)
    }

    /// Records `count` bytes as sent.
    mutating func consume(_ count: Int) {
        credit -= Double(count)
    }

    /// How long until `wanted` bytes (at most half a burst) may pass. Waking at half a burst
    /// leaves room for the wake-up to be late without losing credit to the cap.
    func wait(for wanted: Int, at now: ContinuousClock.Instant) -> Duration {
        let target = min(Double(max(wanted, 1)), burst / 2)
        let elapsed = (now - last).seconds
        let missing = target - (credit + elapsed * bytesPerSecond)
        guard missing > 0 else { return .zero }
        return .nanoseconds(Int64((missing / bytesPerSecond * 1e9).rounded(.up)))
    }

    private mutating func refill(_ now: ContinuousClock.Instant) {
        let elapsed = (now - last).seconds
        last = now
        credit = min(burst, credit + elapsed * bytesPerSecond)
    }
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    var seconds: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) / 1e18
    }

    /// Whole milliseconds, rounded up (for `poll`).
    var millisecondsRoundedUp: Int32 {
        let (s, atto) = components
        let ms = s * 1000 + (atto + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: max(0, ms))
    }
}
