import AlphaEmulator
import CryptechMuxd
import CryptechTransport
import Foundation
import HalRPC
import Logging
import Synchronization

/// GET_VERSION round trips through the daemon against a software Alpha, next to the same
/// load without the daemon, measured with the real client library (`HSMClient`):
///
/// - `muxd.rtt.direct.clients1` / `.clients8`: one `HSMClient` on the tty; with 8 tasks
///   sharing it (one tty, one client handle: its calls go one at a time);
/// - `muxd.rtt.daemon.clients1` / `.clients8`: each task with its own connection to the
///   daemon (8 client handles, the daemon coalescing their requests on the tty);
/// - `muxd.raw.daemon.clients1` / `.clients8`: the daemon alone, measured with raw blocking
///   clients (one thread each, plain write/read: what the C and Python clients do), so the
///   figure is the daemon's and not the client library's; `emulator.rtt.get_version.sequential`
///   is the same client straight on the tty;
/// - `muxd.raw.keytype.isolation_on` / `_off` `.clients1` / `.clients8`: raw clients that
///   each made a key, asking PKEY_GET_KEY_TYPE of it in a loop through a daemon with handle
///   isolation on (the default: the daemon checks every handle named) and off (the
///   reference daemon's behaviour): what isolation costs a round trip;
/// - for each, requests per second and the p50/p99 latency of one call.
enum MuxdBench {
    static func run() {
        guard EmulatorProcess.locateExecutable() != nil else {
            FileHandle.standardError.write(Data("muxd bench skipped: no cryptech-emulator beside cryptech-bench\n".utf8))
            return
        }
        let done = DispatchSemaphore(value: 0)
        Task {
            do {
                try await measure()
            } catch {
                FileHandle.standardError.write(Data("muxd bench failed: \(error)\n".utf8))
            }
            done.signal()
        }
        done.wait()
    }

    private static func measure() async throws {
        let emulator = try EmulatorProcess.launch(arguments: ["--wrong-pin-delay", "0"])
        defer { emulator.terminate() }

        let direct = emulator.makeClient()
        for clients in [1, 8] {
            report("muxd.rtt.direct.clients\(clients)", try await load(Array(repeating: direct, count: clients)))
        }
        await direct.close()

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("muxd-bench-\(getpid())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let socket = directory + "/rpc.sock"
        let muxd = try Muxd(
            configuration: MuxdConfiguration(boards: [
                BoardConfiguration(name: "bench", rpcDevice: .path(emulator.rpcPath), rpcSocket: SocketSpec(path: socket)),
            ]),
            logger: Logger(label: "muxd-bench") { _ in SwiftLogNoOpLogHandler() })
        try await muxd.start()
        for clients in [1, 8] {
            report("muxd.raw.daemon.clients\(clients)", try rawLoad(socket: socket, clients: clients))
        }
        for clients in [1, 8] {
            let connections = (0..<clients).map { HSMClient(connector: UnixSocketConnector(path: socket), client: ClientHandle(rawValue: UInt32($0))) }
            report("muxd.rtt.daemon.clients\(clients)", try await load(connections))
            for connection in connections { await connection.close() }
        }
        await muxd.shutdown()

        // Off, on, off, on: whichever runs first measures slower on this machine, so each is
        // reported from its second round.
        for round in 0..<2 {
            for isolation in [false, true] {
                let socket = directory + "/isolation-\(isolation)-\(round).sock"
                let muxd = try Muxd(
                    configuration: MuxdConfiguration(boards: [
                        BoardConfiguration(name: "bench", rpcDevice: .path(emulator.rpcPath), rpcSocket: SocketSpec(path: socket)),
                    ], isolatesHandles: isolation),
                    logger: Logger(label: "muxd-bench") { _ in SwiftLogNoOpLogHandler() })
                try await muxd.start()
                for clients in [1, 8] {
                    let result = try rawLoad(socket: socket, clients: clients, request: keyTypeRequest)
                    if round == 1 { report("muxd.raw.keytype.isolation_\(isolation ? "on" : "off").clients\(clients)", result) }
                }
                await muxd.shutdown()
            }
        }
    }

    /// A connection's own key (a volatile PUBLIC EC key needs no login), and a
    /// PKEY_GET_KEY_TYPE request naming it.
    private static func keyTypeRequest(_ connection: RawClient) throws -> [UInt8] {
        let generate = RPC.PKeyGenerateEC.encodeRequest(.init(session: .zero, curve: .p256, flags: [.digitalSignature, .public]), client: .zero)
        let reply = try connection.call(SLIPEncoder.encode(generate))
        guard case .success(let key)? = try? RPC.PKeyGenerateEC.decodeReply(reply, for: .init(session: .zero, curve: .p256, flags: [.digitalSignature, .public])) else {
            throw BenchError(description: "PKEY_GENERATE_EC failed")
        }
        return SLIPEncoder.encode(RPC.PKeyGetKeyType.encodeRequest(.init(pkey: key.pkey), client: .zero))
    }

    /// Each client in its own task calls GET_VERSION in a loop for two seconds (after a
    /// warm-up); returns the total rate and every call's latency in microseconds.
    private static func load(_ clients: [HSMClient]) async throws -> (rate: Double, samples: [Double]) {
        for client in clients { for _ in 0..<200 { _ = try await client.getVersion() } }
        let clock = ContinuousClock()
        let start = clock.now
        let window: Duration = .seconds(2)
        let samples = try await withThrowingTaskGroup(of: [Double].self) { group in
            for client in clients {
                group.addTask {
                    var mine: [Double] = []
                    while clock.now - start < window {
                        let begin = clock.now
                        _ = try await client.getVersion()
                        mine.append((clock.now - begin).seconds * 1e6)
                    }
                    return mine
                }
            }
            return try await group.reduce(into: [Double]()) { $0 += $1 }
        }
        return (Double(samples.count) / (clock.now - start).seconds, samples)
    }

    /// `clients` threads, each with its own blocking connection, sending its request (by
    /// default GET_VERSION) one at a time for two seconds.
    private static func rawLoad(
        socket: String, clients: Int,
        request makeRequest: (RawClient) throws -> [UInt8] = { _ in SLIPEncoder.encode(RPC.GetVersion.encodeRequest(NoArguments(), client: .zero)) }
    ) throws -> (rate: Double, samples: [Double]) {
        let connections = try (0..<clients).map { _ in try RawClient(unixSocket: socket) }
        defer { for connection in connections { connection.close() } }
        let requests = try connections.map(makeRequest)
        for (connection, request) in zip(connections, requests) { for _ in 0..<200 { try connection.exchange(request, replies: 1) } }
        let results = Mutex<[[Double]]>([])
        let failure = Mutex<(any Error)?>(nil)
        let finished = DispatchGroup()
        let clock = ContinuousClock()
        let start = clock.now
        for (connection, request) in zip(connections, requests) {
            finished.enter()
            let thread = Thread {
                var mine: [Double] = []
                do {
                    while clock.now - start < .seconds(2) {
                        let begin = clock.now
                        try connection.exchange(request, replies: 1)
                        mine.append((clock.now - begin).seconds * 1e6)
                    }
                } catch {
                    failure.withLock { $0 = error }
                }
                results.withLock { $0.append(mine) }
                finished.leave()
            }
            thread.start()
        }
        finished.wait()
        if let error = failure.withLock({ $0 }) { throw error }
        let samples = results.withLock { $0.flatMap { $0 } }
        return (Double(samples.count) / (clock.now - start).seconds, samples)
    }

    private static func report(_ name: String, _ result: (rate: Double, samples: [Double])) {
        BenchFigure(name: name, value: result.rate, unit: "rt/s").print()
        BenchFigure(name: name + ".p50_us", value: Bench.percentile(result.samples, 50), unit: "us").print()
        BenchFigure(name: name + ".p99_us", value: Bench.percentile(result.samples, 99), unit: "us").print()
    }
}
