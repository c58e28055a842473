#if canImport(Glibc)
import Glibc
#endif
import AlphaEmulator
import CryptechTransport
import Foundation
import HalRPC

/// The software Alpha over its pty, measured from a plain client that writes and reads the tty
/// directly (so the figures are the emulator's, not a client library's):
///
/// - `emulator.rtt.get_version`: GET_VERSION round trips per second, one client keeping 32
///   requests in flight (the emulator reads them in one call and answers in one write);
/// - `emulator.rtt.get_version.sequential`: the same, one request at a time;
/// - `emulator.rtt.get_version.p50_us` / `.p99_us`: latency of one request at a time;
/// - `emulator.baud921600.get_random`: GET_RANDOM payload bytes per second with
///   `--baud 921600`, and as a fraction of the line's 92,160 B/s.
///
/// Needs `cryptech-emulator` built beside `cryptech-bench` (tools/bench builds both).
enum EmulatorBench {
    static func run() {
        guard EmulatorProcess.locateExecutable() != nil else {
            FileHandle.standardError.write("emulator bench skipped: no cryptech-emulator beside cryptech-bench\n".data(using: .utf8)!)
            return
        }
        do {
            try roundTrips()
            try bulkRandom()
        } catch {
            FileHandle.standardError.write("emulator bench failed: \(error)\n".data(using: .utf8)!)
        }
    }

    private static let getVersion = SLIPEncoder.encode(RPC.GetVersion.encodeRequest(NoArguments(), client: .zero))

    private static func roundTrips() throws {
        let emulator = try EmulatorProcess.launch(arguments: ["--wrong-pin-delay", "0"])
        defer { emulator.terminate() }
        let tty = try RawClient(path: emulator.rpcPath)
        defer { tty.close() }
        // Warm up.
        for _ in 0..<2000 { try tty.exchange(getVersion, replies: 1) }

        let window = 32
        let batch = [UInt8]((0..<window).map { _ in getVersion }.joined())
        let pipelined = try Bench.rate(seconds: 2) {
            try tty.exchange(batch, replies: window)
            return window
        } * Double(window)
        BenchFigure(name: "emulator.rtt.get_version", value: pipelined, unit: "rt/s").print()

        var samples: [Double] = []
        samples.reserveCapacity(200_000)
        let clock = ContinuousClock()
        let start = clock.now
        while clock.now - start < .seconds(2) {
            let begin = clock.now
            try tty.exchange(getVersion, replies: 1)
            samples.append((clock.now - begin).seconds * 1e6)
        }
        let elapsed = (clock.now - start).seconds
        BenchFigure(name: "emulator.rtt.get_version.sequential", value: Double(samples.count) / elapsed, unit: "rt/s").print()
        BenchFigure(name: "emulator.rtt.get_version.p50_us", value: Bench.percentile(samples, 50), unit: "us").print()
        BenchFigure(name: "emulator.rtt.get_version.p99_us", value: Bench.percentile(samples, 99), unit: "us").print()
    }

    private static func bulkRandom() throws {
        let emulator = try EmulatorProcess.launch(arguments: ["--baud", "921600", "--wrong-pin-delay", "0"])
        defer { emulator.terminate() }
        let tty = try RawClient(path: emulator.rpcPath)
        defer { tty.close() }
        // GET_RANDOM of 16368 bytes, the most one reply carries; two in flight keep the line busy.
        let request = SLIPEncoder.encode(RPC.GetRandom.encodeRequest(.init(count: UInt32(RPC.GetRandom.maximumCount)), client: .zero))
        try tty.write(request + request)
        var received = 0
        let clock = ContinuousClock()
        // Skip the first reply (it started before the clock).
        try tty.receive(1)
        let start = clock.now
        while clock.now - start < .seconds(4) {
            try tty.write(request)
            // Payload only: minus the reply header and the opaque's length word.
            received += try tty.receive(1) - ReplyHeader.size - 4
        }
        let rate = Double(received) / (clock.now - start).seconds
        BenchFigure(name: "emulator.baud921600.get_random", value: rate, unit: "B/s").print()
        BenchFigure(name: "emulator.baud921600.get_random.fraction", value: rate / 92_160 * 100, unit: "%").print()
    }
}
