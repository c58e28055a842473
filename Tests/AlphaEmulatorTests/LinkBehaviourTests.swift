import AlphaEmulator
import HalRPC
import Testing

/// `--baud` and `--fault`: the emulated line's speed and injected faults.
@Suite("Line speed and fault injection")
struct LinkBehaviourTests {
    @Test("--baud 9600 holds replies to 960 bytes per second")
    func throttle() async throws {
        let board = try Board.launch(["--baud", "9600"])
        defer { board.stop() }
        let client = board.client()
        _ = try await client.getVersion()
        let clock = ContinuousClock()
        let start = clock.now
        // 1200 random bytes ≈ 1230 bytes on the wire: about 1.3 s at 960 B/s.
        _ = try await client.getRandom(count: 1200)
        // A lower bound only: the throttle can make a reply slow, never fast. How close it
        // comes to the line rate is a benchmark figure (emulator.baud921600...).
        #expect(clock.now - start > .milliseconds(1100))
    }

    @Test("--fault drop=1: no reply ever comes; the client times out")
    func drop() async throws {
        let board = try Board.launch(["--fault", "drop=1,seed=3"])
        defer { board.stop() }
        let client = board.client()
        do {
            _ = try await client.getVersion(timeout: .milliseconds(300))
            Issue.record("a reply came through")
        } catch HSMClientError.timeout {
        }
    }

    @Test("--fault delay=300 holds every reply back 300 ms")
    func delay() async throws {
        let board = try Board.launch(["--fault", "delay=300"])
        defer { board.stop() }
        let client = board.client()
        let clock = ContinuousClock()
        let start = clock.now
        #expect(try await client.getVersion() == 0x0101_0100)
        #expect(clock.now - start >= .milliseconds(300))
    }

    @Test("--fault corrupt=1: every reply has one bit flipped")
    func corrupt() async throws {
        let board = try Board.launch(["--fault", "corrupt=1,seed=11"])
        defer { board.stop() }
        let link = try await board.rawLink()
        var damaged = 0
        for _ in 0..<20 {
            try await link.send(hex("00000000 00000000"))
            let reply = try await link.receive(timeout: .seconds(2))
            if reply != hex("00000000 00000000 00000000 01010100") { damaged += 1 }
        }
        #expect(damaged == 20)
        await link.close()
    }

    @Test("a second emulator on the same state directory refuses to start")
    func stateDirectoryLock() async throws {
        let board = try Board.launch()
        defer { board.stop() }
        #expect(throws: EmulatorProcess.LaunchError.self) {
            _ = try EmulatorProcess.launch(arguments: ["--state-dir", board.stateDirectory])
        }
    }

    @Test("bad option values are refused at start")
    func badOptions() async throws {
        #expect(throws: EmulatorProcess.LaunchError.self) {
            _ = try EmulatorProcess.launch(arguments: ["--fault", "drop=2"])
        }
        #expect(throws: EmulatorProcess.LaunchError.self) {
            _ = try EmulatorProcess.launch(arguments: ["--baud", "0"])
        }
    }
}
