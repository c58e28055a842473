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
    }

    let test: HILTest
    let outcome: Outcome
    let duration: Duration
    let output: [String]

    var isFailure: Bool {
        switch outcome {
        case .failed, .error: true
        case .passed, .skipped: false
        }
    }

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
            let outcome: HILResult.Outcome
            var output: [String] = []
            let started = clock.now
            if test.boardsNeeded > target.boards.count {
                outcome = .skipped("needs \(test.boardsNeeded) boards, the target has \(target.boards.count)")
            } else if let unreachable {
                outcome = .error(unreachable)
            } else {
                let directory = FileManager.default.temporaryDirectory
                    .appendingPathComponent("cryptech-hil-\(getpid())-\(results.count)").path
                let context = HILContext(target: target, directory: directory)
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
                output = context.output
            }
            let result = HILResult(test: test, outcome: outcome, duration: clock.now - started, output: output)
            report(result)
            results.append(result)
        }
        await target.closeAll()
        return results
    }

    private func report(_ result: HILResult) {
        let seconds = String(format: "%.2f s", JUnitReport.seconds(result.duration))
        switch result.outcome {
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
