#if canImport(Glibc)
import Glibc
#endif
import AlphaEmulator
import BlockingWork
import CryptechMuxd
import CryptechTransport
import Foundation
import HalRPC
import Testing

/// The built `cryptech-muxd` serving a software Alpha (the built `cryptech-emulator`), as an
/// operator runs it: its lifecycle under signals, its start failures, and its metrics.
@Suite("cryptech-muxd as a daemon (built binaries)")
struct MuxdDaemonTests {
    /// A directory of the test's, removed at the end.
    struct Scratch {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("muxd-daemon-\(UUID().uuidString.prefix(8))").path
        init() throws { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
        func file(_ name: String) -> String { path + "/" + name }
        func remove() { try? FileManager.default.removeItem(atPath: path) }
    }

    /// A software Alpha; its launch blocks until the emulator prints its tty, so off the pool.
    static func launchAlpha(_ arguments: [String]) async throws -> EmulatorProcess {
        try await offThePool { try EmulatorProcess.launch(arguments: arguments) }
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    @Test("SIGTERM and SIGINT stop it gracefully: exit status 0, both sockets removed", arguments: [SIGTERM, SIGINT])
    func stopsOnSignal(_ signal: Int32) async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let alpha = try await Self.launchAlpha(["--console", "--wrong-pin-delay", "0"])
        defer { alpha.terminate() }
        let rpc = scratch.file("muxd.rpc")
        let cty = scratch.file("muxd.cty")
        let muxd = try MuxdProcess(["--rpc-device", alpha.rpcPath, "--rpc-socket", rpc,
                                    "--cty-device", try #require(alpha.consolePath), "--cty-socket", cty], logPath: scratch.file("muxd.log"))
        try await muxd.waitUntilServing(rpc)
        try await muxd.waitUntilServing(cty)
        let client = HSMClient(connector: UnixSocketConnector(path: rpc))
        #expect(try await client.getVersion() > 0)
        muxd.signal(signal)
        #expect(try await muxd.exitStatus() == 0, "\(muxd.log)")
        #expect(!Self.exists(rpc))
        #expect(!Self.exists(cty))
        await client.close()
    }

    @Test("SIGUSR1 logs the counters, and the daemon serves on")
    func statisticsOnSIGUSR1() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let alpha = try await Self.launchAlpha(["--wrong-pin-delay", "0"])
        defer { alpha.terminate() }
        let rpc = scratch.file("muxd.rpc")
        let muxd = try MuxdProcess(["--rpc-device", alpha.rpcPath, "--rpc-socket", rpc, "-v"], logPath: scratch.file("muxd.log"))
        try await muxd.waitUntilServing(rpc)
        let client = HSMClient(connector: UnixSocketConnector(path: rpc))
        _ = try await client.getVersion()
        muxd.signal(SIGUSR1)
        try await muxd.waitUntil("the counters in the log") { muxd.log.contains("muxd.traffic=requests=1 replies=1") }
        _ = try await client.getVersion()
        await client.close()
        muxd.signal(SIGTERM)
        #expect(try await muxd.exitStatus() == 0, "\(muxd.log)")
        #expect(!Self.exists(rpc))
    }

    @Test("A helper that cannot start (a metrics file in a missing directory) stops it: status 1, the cause on stderr, no socket left")
    func startFailure() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let rpc = scratch.file("muxd.rpc")
        let metrics = scratch.file("missing/muxd.prom")
        let muxd = try MuxdProcess(["--rpc-device", scratch.file("no-such-tty"), "--rpc-socket", rpc, "--metrics-file", metrics],
                                   logPath: scratch.file("muxd.log"))
        #expect(try await muxd.exitStatus() == 1)
        #expect(muxd.log.contains(metrics), "\(muxd.log)")
        #expect(muxd.log.contains("No such file or directory"), "\(muxd.log)")
        #expect(!Self.exists(rpc))
    }

    /// The lines of a Prometheus text file that are samples, by series (`name{labels}`).
    static func samples(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " ") else { continue }
            result[String(line[..<space])] = String(line[line.index(after: space)...])
        }
        return result
    }

    @Test("--metrics-file: after N requests the textfile holds the request counters exactly, and again after SIGTERM")
    func metricsFile() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let alpha = try await Self.launchAlpha(["--wrong-pin-delay", "0"])
        defer { alpha.terminate() }
        let rpc = scratch.file("muxd.rpc")
        let file = scratch.file("muxd.prom")
        let muxd = try MuxdProcess(["--rpc-device", alpha.rpcPath, "--rpc-socket", rpc, "--board", "name=second,rpc-device=\(scratch.file("absent-tty")),rpc-socket=\(scratch.file("second.rpc"))",
                                    "--metrics-file", file, "--metrics-interval", "0.05"], logPath: scratch.file("muxd.log"))
        try await muxd.waitUntilServing(rpc)
        let requests = 7
        let client = HSMClient(connector: UnixSocketConnector(path: rpc))
        for _ in 0..<requests { _ = try await client.getVersion() }
        // A request to a board that is not there is answered by the muxd with an error; sent
        // once (no retry of the client's), so the counts stay exact.
        let absent = HSMClient(connector: UnixSocketConnector(path: scratch.file("second.rpc")), retries: 0)
        await #expect(throws: (any Error).self) { _ = try await absent.getVersion() }
        await absent.close()
        await client.close()

        let board = "{board=\"board0\"}"
        let second = "{board=\"second\"}"
        func read() -> [String: String] { Self.samples((try? String(contentsOfFile: file, encoding: .utf8)) ?? "") }
        try await muxd.waitUntil("the workload in \(file)") {
            let now = read()
            return now["cryptech_muxd_requests_total\(board)"] == "\(requests)" && now["cryptech_muxd_connections_open\(board)"] == "0.0"
                && now["cryptech_muxd_request_errors_total\(second)"] == "1"
        }
        for scrape in [read()] {
            #expect(scrape["cryptech_muxd_replies_total\(board)"] == "\(requests)")
            #expect(scrape["cryptech_muxd_request_errors_total\(board)"] == "0")
            #expect(scrape["cryptech_muxd_request_timeouts_total\(board)"] == "0")
            // The client's connection, and the one that found the socket serving.
            #expect(scrape["cryptech_muxd_connections_accepted_total\(board)"] == "2")
            #expect(scrape["cryptech_muxd_board_attached\(board)"] == "1.0")
            #expect(scrape["cryptech_muxd_request_bytes_total\(board)"] == "\(requests * 8)")
            #expect(scrape["cryptech_muxd_request_duration_seconds_count{board=\"board0\",class=\"short\"}"] == "\(requests)")
            #expect(scrape["cryptech_muxd_requests_total\(second)"] == "1")
            #expect(scrape["cryptech_muxd_replies_total\(second)"] == "0")
            #expect(scrape["cryptech_muxd_board_attached\(second)"] == "0.0")
        }
        // Every metric the muxd writes is in the catalogue its --help and the README show.
        let text = try String(contentsOfFile: file, encoding: .utf8)
        let families = text.split(separator: "\n").filter { $0.hasPrefix("# TYPE ") }.map { String($0.split(separator: " ")[2]) }
        #expect(Set(families) == Set(MuxdMetrics.catalogue.map(\.name)))
        // The text file is replaced whole, never written in place: node_exporter reads either
        // the old file or the new one.
        let directory = try FileManager.default.contentsOfDirectory(atPath: scratch.path)
        #expect(directory.filter { $0.hasSuffix(".prom") } == ["muxd.prom"])

        muxd.signal(SIGTERM)
        #expect(try await muxd.exitStatus() == 0, "\(muxd.log)")
        #expect(read()["cryptech_muxd_requests_total\(board)"] == "\(requests)")
        #expect(!Self.exists(rpc))
    }

    @Test("--metrics-listen serves the text at /metrics on loopback, and nothing else")
    func metricsEndpoint() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let alpha = try await Self.launchAlpha(["--wrong-pin-delay", "0"])
        defer { alpha.terminate() }
        let rpc = scratch.file("muxd.rpc")
        let muxd = try MuxdProcess(["--rpc-device", alpha.rpcPath, "--rpc-socket", rpc, "--metrics-listen", "127.0.0.1:0"],
                                   logPath: scratch.file("muxd.log"))
        try await muxd.waitUntilServing(rpc)
        try await muxd.waitUntil("the endpoint's address in the log") { muxd.log.contains("metrics.url=http://127.0.0.1:") }
        let url = try #require(muxd.log.split(separator: "metrics.url=").last?.split(separator: "\n").first)
        let port = try #require(Int(url.split(separator: ":").last?.split(separator: "/").first ?? ""))
        let client = HSMClient(connector: UnixSocketConnector(path: rpc))
        for _ in 0..<3 { _ = try await client.getVersion() }
        await client.close()

        let metrics = try await HTTPGet.fetch(port: port, path: "/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.headers.contains("content-type: text/plain; version=0.0.4; charset=utf-8"))
        #expect(Self.samples(metrics.body)["cryptech_muxd_requests_total{board=\"board0\"}"] == "3")
        #expect(try await HTTPGet.fetch(port: port, path: "/").status == 404)
        #expect(try await HTTPGet.fetch(port: port, path: "/metrics", method: "POST").status == 405)

        muxd.signal(SIGTERM)
        #expect(try await muxd.exitStatus() == 0, "\(muxd.log)")
    }

    @Test("The README documents every metric of the catalogue")
    func readme() throws {
        let readme = try String(contentsOfFile: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../README.md").standardized.path, encoding: .utf8)
        for metric in MuxdMetrics.catalogue {
            #expect(readme.contains("| `\(metric.name)` |"), "README: no row for \(metric.name)")
        }
    }
}
