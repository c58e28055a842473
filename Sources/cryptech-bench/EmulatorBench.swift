#if canImport(Glibc)
import Glibc
#endif
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
/// Needs `cryptech-emulator` built beside `cryptech-bench` (`swift build -c release`).
enum EmulatorBench {
    static func run() {
        guard let executable = locateEmulator() else {
            FileHandle.standardError.write("emulator bench skipped: no cryptech-emulator beside cryptech-bench\n".data(using: .utf8)!)
            return
        }
        do {
            try roundTrips(executable)
            try bulkRandom(executable)
        } catch {
            FileHandle.standardError.write("emulator bench failed: \(error)\n".data(using: .utf8)!)
        }
    }

    private static let getVersion = SLIPEncoder.encode(RPC.GetVersion.encodeRequest(NoArguments(), client: .zero))

    private static func roundTrips(_ executable: String) throws {
        let emulator = try Emulator(executable: executable, arguments: [])
        defer { emulator.stop() }
        let tty = try TTY(path: emulator.path)
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

    private static func bulkRandom(_ executable: String) throws {
        let emulator = try Emulator(executable: executable, arguments: ["--baud", "921600"])
        defer { emulator.stop() }
        let tty = try TTY(path: emulator.path)
        defer { tty.close() }
        // GET_RANDOM of 16368 bytes, the most one reply carries; two in flight keep the line busy.
        let request = SLIPEncoder.encode(RPC.GetRandom.encodeRequest(.init(count: UInt32(RPC.GetRandom.maximumCount)), client: .zero))
        try tty.write(request + request)
        var received = 0
        let clock = ContinuousClock()
        // Skip the first reply (it started before the clock).
        _ = try tty.readFrames(1)
        let start = clock.now
        while clock.now - start < .seconds(4) {
            try tty.write(request)
            // Payload only: minus the reply header and the opaque's length word.
            received += try tty.readFrames(1).reduce(0) { $0 + $1.count - ReplyHeader.size - 4 }
        }
        let rate = Double(received) / (clock.now - start).seconds
        BenchFigure(name: "emulator.baud921600.get_random", value: rate, unit: "B/s").print()
        BenchFigure(name: "emulator.baud921600.get_random.fraction", value: rate / 92_160 * 100, unit: "%").print()
    }

    private static func locateEmulator() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { return nil }
        let path = String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let candidate = (path as NSString).deletingLastPathComponent + "/cryptech-emulator"
        return access(candidate, X_OK) == 0 ? candidate : nil
    }
}

private struct BenchError: Error, CustomStringConvertible {
    var description: String
}

/// A `cryptech-emulator` child process.
private final class Emulator {
    let process = Process()
    let path: String

    init(executable: String, arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments + ["--wrong-pin-delay", "0"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        var line: [UInt8] = []
        while !line.contains(0x0A) {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { throw BenchError(description: "emulator printed no tty path") }
            line += chunk
        }
        path = String(decoding: line.prefix { $0 != 0x0A }, as: UTF8.self)
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
    }
}

/// The tty, raw, read and written with plain system calls: everything available in one read.
private final class TTY {
    let port: SerialPort
    var decoder = SLIPDecoder()
    var buffer = [UInt8](repeating: 0, count: 65536)
    var frames: [[UInt8]] = []

    init(path: String) throws {
        port = try SerialPort(path: path)
    }

    func close() { port.close() }

    func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(port.descriptor, $0.baseAddress! + offset, bytes.count - offset) }
            if n < 0 {
                guard errno == EAGAIN || errno == EINTR else { throw BenchError(description: "write: \(errno)") }
                var fds = [pollfd(fd: port.descriptor, events: Int16(POLLOUT), revents: 0)]
                _ = poll(&fds, 1, 1000)
                continue
            }
            offset += n
        }
    }

    func readFrames(_ count: Int) throws -> [[UInt8]] {
        while frames.count < count {
            var fds = [pollfd(fd: port.descriptor, events: Int16(POLLIN), revents: 0)]
            guard poll(&fds, 1, 5000) > 0 else { throw BenchError(description: "no reply within 5 s") }
            let n = buffer.withUnsafeMutableBytes { read(port.descriptor, $0.baseAddress, $0.count) }
            guard n > 0 else { continue }
            buffer.withUnsafeBytes { bytes in
                decoder.decode(UnsafeRawBufferPointer(rebasing: bytes[0..<n])) { event in
                    if case .frame(let frame) = event { frames.append(frame) }
                }
            }
        }
        let taken = Array(frames.prefix(count))
        frames.removeFirst(count)
        return taken
    }

    func exchange(_ request: [UInt8], replies: Int) throws {
        try write(request)
        _ = try readFrames(replies)
    }
}
