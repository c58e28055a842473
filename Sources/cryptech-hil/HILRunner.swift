import Foundation
import HalRPC

/// One test's result.
struct HILResult: Sendable {
    enum Outcome: Sendable {
        case passed
        /// A check did not hold.
        case failed(String)
        /// The board, the link or the host raised an error.
        case error(String)
        case skipped(String)

        /// What went wrong, for a failed check or an error.
        var failure: String? {
            switch self {
            case .failed(let message), .error(let message): message
            case .passed, .skipped: nil
            }
        }
    }

    let test: HILTest
    let outcome: Outcome
    let duration: Duration
    let output: [String]
    /// Why each earlier attempt failed, when the test was run again.
    var failedAttempts: [String] = []

    var isFailure: Bool { outcome.failure != nil }

    var isSkipped: Bool {
        if case .skipped = outcome { return true }
        return false
    }
}

/// Runs the tests one after the other (a board does one thing at a time) and prints a line
/// for each.
struct HILRunner {
    let target: HILTarget
    let tests: [HILTest]

    /// How many times a failing test is run in all: on lossy links what an operation cannot
    /// recover from by itself (a flipped bit in a key or a signature the protocol cannot see),
    /// a fresh attempt can.
    private var attempts: Int { target.lossyLinks ? LossyLinks.testAttempts : 1 }

    func run() async -> [HILResult] {
        var results: [HILResult] = []
        // Every board must answer before anything runs; if one does not, every test fails
        // with the reason instead of timing out one by one.
        var unreachable: String?
        for index in target.boards.indices {
            do {
                _ = try await target.client(index)
            } catch {
                unreachable = "board \(target.boards[index].name) (\(target.boards[index].endpoint)): \(error)"
                note(unreachable!)
                break
            }
        }
        let clock = ContinuousClock()
        for test in tests {
            let started = clock.now
            var failedAttempts: [String] = []
            var (outcome, output) = await attempt(test, unreachable: unreachable, number: results.count)
            while let failure = outcome.failure, unreachable == nil, failedAttempts.count + 1 < attempts {
                failedAttempts.append(failure)
                print("AGAIN \(test.name): attempt \(failedAttempts.count) of \(attempts) failed: \(failure)")
                fflushStandardOutput()
                // From fresh logins: the failure may have left a shared client's state unknown.
                await target.closeAll()
                (outcome, output) = await attempt(test, unreachable: unreachable, number: results.count)
            }
            let result = HILResult(test: test, outcome: outcome, duration: clock.now - started, output: output, failedAttempts: failedAttempts)
            report(result)
            results.append(result)
        }
        await target.closeAll()
        return results
    }

    /// Runs `test` once, in a scratch directory of its own.
    private func attempt(_ test: HILTest, unreachable: String?, number: Int) async -> (HILResult.Outcome, [String]) {
        if test.boardsNeeded > target.boards.count {
            return (.skipped("needs \(test.boardsNeeded) boards, the target has \(target.boards.count)"), [])
        }
        if let unreachable { return (.error(unreachable), []) }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cryptech-hil-\(getpid())-\(number)").path
        let context = HILContext(target: target, directory: directory)
        let outcome: HILResult.Outcome
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try await test.body(context)
            outcome = .passed
        } catch let failure as HILCheckFailure {
            outcome = .failed(failure.description)
        } catch {
            outcome = .error("\(error)")
        }
        try? FileManager.default.removeItem(atPath: directory)
        return (outcome, context.output)
    }

    private func report(_ result: HILResult) {
        let seconds = String(format: "%.2f s", JUnitReport.seconds(result.duration))
        switch result.outcome {
        case .passed where !result.failedAttempts.isEmpty:
            print("PASS  \(result.test.name) (\(seconds), attempt \(result.failedAttempts.count + 1))")
        case .passed:
            print("PASS  \(result.test.name) (\(seconds))")
        case .failed(let message), .error(let message):
            print("FAIL  \(result.test.name) (\(seconds)): \(message)")
            for line in result.output { print("      \(line)") }
        case .skipped(let reason):
            print("SKIP  \(result.test.name): \(reason)")
        }
        fflushStandardOutput()
    }
}

/// Standard output goes to a pipe under tools/hil: flush each line so progress shows.
func fflushStandardOutput() {
    fflush(nil)
}
