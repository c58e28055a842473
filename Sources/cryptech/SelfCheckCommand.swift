import ArgumentParser
import CryptechExitStatus
import CryptechTransport
import Foundation

/// `cryptech self-check`: proves the transport on this machine without a board — a pty pair,
/// the serial port type at 921600 8N1 raw, SLIP frames echoed back and compared.
struct SelfCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "self-check",
        abstract: "Echo SLIP frames over a pseudo-terminal pair through the serial port code.",
        discussion: ExitStatus.help(.success, .failed, .usage))

    @Option(help: "Number of frames to echo.")
    var frames = 200

    @Option(help: "Line speed to configure on the tty, in bits per second.")
    var speed = 921_600

    @OptionGroup var output: OutputOptions
    @OptionGroup var logging: LoggingOptions

    /// `--json`: see docs/json.md.
    struct Output: Encodable {
        var frames: Int
        var payloadBytes: Int
        var device: String
        var speed: Int
        var seconds: Double
    }

    func validate() throws {
        guard frames > 0 else { throw ValidationError("--frames must be positive") }
    }

    func run() async throws {
        let pty = try PseudoTerminal()
        defer { pty.close() }
        let board = try await pty.masterLink()
        let echo = Task {
            for try await frame in board.frames { try await board.send(frame) }
        }
        let host = try await SerialConnector(path: pty.slavePath, settings: SerialSettings(speed: speed)).open()
        let clock = ContinuousClock()
        let start = clock.now
        var bytes = 0
        var generator = SystemRandomNumberGenerator()
        for index in 0..<frames {
            // Every tenth frame is the worst case: nothing but END and ESC bytes.
            let count = index == 0 ? SLIP.maximumPayload : Int.random(in: 1...4096, using: &generator)
            let payload: [UInt8] = index % 10 == 0
                ? (0..<count).map { $0 % 2 == 0 ? SLIP.end : SLIP.esc }
                : (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            try await host.send(payload)
            let back = try await host.receive(timeout: .seconds(5))
            guard back == payload else {
                FileHandle.standardError.write(Data("cryptech self-check: frame \(index) of \(count) bytes came back altered\n".utf8))
                throw ExitCode(.failed)
            }
            bytes += count
        }
        let elapsed = clock.now - start
        await host.close()
        echo.cancel()
        await board.close()
        if output.json {
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            return try output.printJSON(Output(frames: frames, payloadBytes: bytes, device: pty.slavePath, speed: speed, seconds: seconds))
        }
        print("self-check: \(frames) frames (\(bytes) payload bytes) echoed intact over \(pty.slavePath) at \(speed) 8N1 in \(elapsed)")
    }
}
