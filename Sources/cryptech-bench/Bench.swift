import Dispatch
import Foundation

/// One benchmark figure, printed as a JSON line: `{"name":..., "value":..., "unit":...}`.
struct BenchFigure {
    var name: String
    var value: Double
    var unit: String

    func print() {
        let rounded = (value * 1000).rounded() / 1000
        Swift.print("{\"name\":\"\(name)\",\"value\":\(rounded),\"unit\":\"\(unit)\"}")
        fflush(nil)
    }
}

/// Timing helpers shared by every benchmark file.
enum Bench {
    /// Runs `body` repeatedly for at least `seconds` (after one warm-up call) and returns
    /// the number of calls per second. `body` returns a value that is folded into a sink
    /// so the optimiser cannot drop the work.
    static func rate(seconds: Double = 1.0, _ body: () throws -> Int) rethrows -> Double {
        var sink = try body()
        let clock = ContinuousClock()
        let start = clock.now
        var calls = 0
        var elapsed: Duration = .zero
        repeat {
            sink &+= try body()
            calls += 1
            elapsed = clock.now - start
        } while elapsed < .seconds(seconds)
        blackHole(sink)
        return Double(calls) / elapsed.seconds
    }

    /// Wall time of one call of `body`, in seconds; the best of `runs` runs.
    static func bestTime(runs: Int = 5, _ body: () throws -> Int) rethrows -> Double {
        let clock = ContinuousClock()
        var best = Double.infinity
        var sink = 0
        for _ in 0..<runs {
            let start = clock.now
            sink &+= try body()
            best = min(best, (clock.now - start).seconds)
        }
        blackHole(sink)
        return best
    }

    /// Percentile (0...100) of sorted-on-demand samples, in the samples' unit.
    static func percentile(_ samples: [Double], _ p: Double) -> Double {
        guard !samples.isEmpty else { return .nan }
        let sorted = samples.sorted()
        let index = min(sorted.count - 1, Int((p / 100 * Double(sorted.count - 1)).rounded()))
        return sorted[index]
    }

    /// Calls per second of `body`, as the synchronous `rate` above, for async work.
    static func rate(seconds: Double, _ body: () async throws -> Int) async rethrows -> Double {
        var sink = try await body()
        let clock = ContinuousClock()
        let start = clock.now
        var calls = 0
        var elapsed: Duration = .zero
        repeat {
            sink &+= try await body()
            calls += 1
            elapsed = clock.now - start
        } while elapsed < .seconds(seconds)
        blackHole(sink)
        return Double(calls) / elapsed.seconds
    }

    /// Runs async work from the synchronous benchmark driver.
    static func blocking(_ body: @escaping @Sendable () async -> Void) {
        let done = DispatchSemaphore(value: 0)
        Task {
            await body()
            done.signal()
        }
        done.wait()
    }
}

extension Duration {
    var seconds: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) / 1e18
    }
}

@inline(never)
func blackHole<T>(_ value: T) {
    withExtendedLifetime(value) {}
}
