import AlphaEmulator
import Foundation
import HalRPC
import Testing

/// PIN guessing is limited per board, not per client word (issue 13, item 2): PINs are checked
/// one at a time, and after a wrong one every further check waits, whichever client word sends
/// it. The assertions are lower bounds and orderings, never how fast something must be.
@Suite("PIN guessing")
struct PINGuessingTests {
    /// The consecutive-wrong-PIN counts of the board's "wrong PIN" log lines, in order: one
    /// line per wrong PIN checked.
    static func wrongPINCounts(_ board: Board) -> [Int] {
        let log = (try? String(contentsOfFile: board.stateDirectory + ".log", encoding: .utf8)) ?? ""
        return log.split(separator: "\n").filter { $0.contains("wrong PIN") }.compactMap { line in
            guard let match = line.firstMatch(of: /emulator\.wrong-pins=(\d+)/) else { return nil }
            return Int(match.1)
        }
    }

    /// Waits until the board has logged `count` wrong PINs.
    static func waitForWrongPINs(_ board: Board, count: Int) async throws {
        for _ in 0..<3000 where wrongPINCounts(board).count < count {
            try await Task.sleep(for: .milliseconds(10))
        }
        try #require(wrongPINCounts(board).count >= count, "the board logged \(count) wrong PINs")
    }

    @Test("a wrong PIN holds back the next PIN check from any client word, but not other requests")
    func pauseHoldsBackEveryLogin() async throws {
        // Far longer than the other client's cheap requests take, even at nice 19 beside busy
        // loops (tools/test-under-load measured up to 7 s from the test's start with 6 s).
        let pause = Duration.seconds(12)
        let board = try Board.launch(["--wrong-pin-delay", "12"])
        defer { board.stop() }
        let tty = try await SharedTTY.open(board.process.rpcPath)
        let guesser = tty.client(ClientHandle(rawValue: 0x3001))
        let other = tty.client(ClientHandle(rawValue: 0x3002))
        let clock = ContinuousClock()
        let start = clock.now
        let wrong = Task { await status { try await guesser.login(user: .normal, pin: PIN("wrong-pin")) } }
        // The PIN has been checked and found wrong: the pause runs from here.
        try await Self.waitForWrongPINs(board, count: 1)
        let checked = clock.now
        _ = try await other.getVersion()
        #expect(try await !other.isLoggedIn(user: .normal))
        let served = clock.now
        // The right PIN from another client word waits for the pause all the same.
        try await other.login(user: .normal, pin: TestPINs.user)
        let loggedIn = clock.now
        #expect(await wrong.value == .pinIncorrect)
        #expect(served - checked < pause, "other requests were served during the pause")
        #expect(loggedIn - start >= pause, "the next PIN check waited for the pause")
        #expect(try await other.isLoggedIn(user: .normal))
        await tty.close()
    }

    @Test("client words guessing at once: one check at a time, the k-th answer no sooner than k pauses (doubling with SX1); a right PIN resets",
          arguments: Firmware.allCases)
    func parallelGuessers(firmware: Firmware) async throws {
        let first = Duration.milliseconds(100)
        let guesses = 5
        let board = try Board.launch(firmware: firmware, ["--wrong-pin-delay", "0.1"])
        defer { board.stop() }
        let tty = try await SharedTTY.open(board.process.rpcPath)
        let guessers = (0..<guesses).map { tty.client(ClientHandle(rawValue: 0x4000 + UInt32($0))) }
        let clock = ContinuousClock()
        let start = clock.now
        let answers = await withTaskGroup(of: (status: HALError?, after: Duration).self) { group in
            for (index, guesser) in guessers.enumerated() {
                group.addTask {
                    let answer = await status { try await guesser.login(user: .normal, pin: PIN("guess-\(index)")) }
                    return (answer, clock.now - start)
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(answers.map(\.status) == Array(repeating: .pinIncorrect, count: guesses))
        // The wrong PINs were checked one after another, each answered after its pause: the
        // k-th answer came no sooner than the first k pauses together. Within any window from
        // the start, the board checked no more PINs than those pauses allow.
        let pauses = (0..<guesses).map { firmware == .sx1 ? first * (1 << $0) : first }
        var earliest = Duration.zero
        for (index, after) in answers.map(\.after).sorted().enumerated() {
            earliest += pauses[index]
            #expect(after >= earliest, "answer \(index + 1) after \(after), not before \(earliest)")
        }
        #expect(Self.wrongPINCounts(board) == Array(1...guesses))

        // The right PIN still logs in, and the back-off starts over.
        let owner = tty.client(ClientHandle(rawValue: 0x4100))
        try await owner.login(user: .normal, pin: TestPINs.user)
        #expect(try await owner.isLoggedIn(user: .normal))
        #expect(await status { try await guessers[0].login(user: .normal, pin: PIN("guess-again")) } == .pinIncorrect)
        #expect(Self.wrongPINCounts(board) == Array(1...guesses) + [1])
        await tty.close()
    }
}
