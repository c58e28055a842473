#if canImport(Glibc)
import Glibc
#endif
import AlphaEmulator
import CryptechMuxd
import CryptechTransport
import Foundation
import Testing

/// The console socket and the probe, against a software Alpha started with `--console`.
@Suite(.serialized) struct MuxdConsoleAndProbeTests {
    @Test func probeTellsTheRPCPortFromTheConsole() throws {
        let board = try EmulatorProcess.launch(arguments: ["--console", "--wrong-pin-delay", "0"])
        defer { board.terminate() }
        let console = try #require(board.consolePath)
        #expect(Prober.probe(path: board.rpcPath) == .rpc)
        #expect(Prober.probe(path: console) == .console)
        #expect(Prober.classify(Array("garbage".utf8)) == .unknown)
    }

    @Test func oneConsoleClientAtATimeAndOutputLogged() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("muxd-cty-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let board = try EmulatorProcess.launch(arguments: ["--console", "--wrong-pin-delay", "0"])
        defer { board.terminate() }
        let log = directory + "/console.log"
        let configuration = MuxdConfiguration(boards: [BoardConfiguration(
            name: "b", rpcDevice: .path(board.rpcPath), rpcSocket: SocketSpec(path: directory + "/rpc.sock"),
            consoleDevice: .path(try #require(board.consolePath)), consoleSocket: SocketSpec(path: directory + "/cty.sock"),
            consoleLogPath: log)])
        let muxd = try Muxd(configuration: configuration, logger: MuxdHarness.quiet)
        try await muxd.start()
        defer { Task { await muxd.shutdown() } }

        let first = try RawSocket(path: directory + "/cty.sock")
        defer { first.close() }
        // Wait until the daemon has the console tty open, then ask for a prompt.
        var seen = ""
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(60)
        while !seen.contains("Username:"), clock.now < deadline {
            try first.write(Array("\r".utf8))
            seen += String(decoding: first.read(timeout: 50), as: UTF8.self)
        }
        #expect(seen.contains("Username:"), "console output reaches the attached client: \(seen)")

        let second = try RawSocket(path: directory + "/cty.sock")
        defer { second.close() }
        var refused: [UInt8] = []
        let refusalDeadline = clock.now + .seconds(60)
        while !refused.contains(0x0A), clock.now < refusalDeadline { refused += second.read(timeout: 50) }
        #expect(String(decoding: refused, as: UTF8.self) == "[Console already in use, sorry]\n")

        let logged = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        #expect(logged.contains("Username:"), "console output is appended to the log")
        await muxd.shutdown()
    }
}

/// A blocking Unix stream socket with a read timeout, for the console's raw bytes.
private final class RawSocket {
    private let fd: Int32

    init(path: String) throws {
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8) + [0]) }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else {
            Glibc.close(fd)
            throw TransportError.system("connect", errno: errno, endpoint: path)
        }
    }

    func write(_ bytes: [UInt8]) throws {
        guard bytes.withUnsafeBytes({ Glibc.write(fd, $0.baseAddress, $0.count) }) == bytes.count else {
            throw TransportError.system("write", errno: errno, endpoint: "console socket")
        }
    }

    /// Whatever arrives within `timeout` milliseconds (possibly nothing).
    func read(timeout: Int32) -> [UInt8] {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, timeout) > 0 else { return [] }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = Glibc.read(fd, &buffer, buffer.count)
        return count > 0 ? Array(buffer[0..<count]) : []
    }

    func close() { Glibc.close(fd) }
}
