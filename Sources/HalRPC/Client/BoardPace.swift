/// What one board has been measured to take, per function, as a multiple of the work
/// expected of a reference Alpha (``RPCFunction/expectedWork(for:)``): a running estimate
/// that lengthens the deadlines of a board slower than assumed.
///
/// Measurements only ever lengthen a deadline. One quick run of a function says nothing
/// about the slow path the same function may take next (a hashsig signature that first
/// rebuilds a tree, a wrong PIN), and a quick deadline would turn those into timeouts with
/// unknown outcomes; a reply that is lost is caught by the lost-reply probe instead
/// (``HSMClient``).
public struct BoardPace: Sendable, Hashable {
    /// Measured time over expected time, per function, smoothed over the calls so far.
    private var slowdown: [FunctionNumber: Double] = [:]

    /// Weight of the newest measurement in the running estimate.
    static let weight = 0.5

    /// A pace with no measurements yet: every function expected to take what a reference Alpha
    /// takes.
    public init() {}

    /// How many times slower than expected `function` has run on this board (at least 1).
    public func factor(_ function: FunctionNumber) -> Double {
        max(1, slowdown[function] ?? 1)
    }

    /// The deadline for work expected to take `expected` on a reference Alpha.
    public func deadline(_ function: FunctionNumber, expected: Duration) -> Duration {
        RPCDeadline.deadline(expected: expected * factor(function))
    }

    /// Records that a call of `function` expected to take `expected` was answered after `took`.
    public mutating func record(_ function: FunctionNumber, expected: Duration, took: Duration) {
        guard expected > .zero else { return }
        let ratio = took / expected
        slowdown[function] = slowdown[function].map { $0 * (1 - Self.weight) + ratio * Self.weight } ?? ratio
    }
}
