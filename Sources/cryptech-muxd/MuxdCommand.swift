import ArgumentParser
import CryptechExitStatus
import CryptechMetrics
import CryptechMuxd
import CoreMetrics
import CryptechTransport
import Dispatch
import Foundation
import Logging
import Prometheus
import ServiceLifecycle
import UnixSignals

/// Command-line surface compatible with the reference `cryptech_muxd` (docs/wire-protocol.md §11.1),
/// plus several boards, timeouts, statistics and metrics. The executable is this command: a
/// thin main over the CryptechMuxd library.
@main
struct MuxdCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cryptech-muxd",
        abstract: "Share Cryptech Alpha boards among many client processes.",
        discussion: """
            Clients connect to the RPC socket (SLIP over a Unix stream socket) exactly as to the \
            reference cryptech_muxd. Each --board serves one more board on its own sockets:
              --board name=b,usb-serial=FT1234,rpc-socket=/run/cryptech/b.rpc,cty-socket=/run/cryptech/b.cty
            Keys: name, rpc-device, usb-serial (instead of rpc-device), rpc-socket, cty-device, cty-socket.
            SIGUSR1 logs the counters; SIGTERM and SIGINT stop the daemon (exit status 0) and \
            remove its sockets. A socket it cannot serve is a failure; probing that finds no \
            board is "no board"; a bad option or --board is a usage error.

            Metrics (off unless asked): --metrics-file writes them in Prometheus's text format, \
            replaced atomically every --metrics-interval seconds and once more at exit, for \
            node_exporter's textfile collector (give it a *.prom file in the collector's \
            directory); --metrics-listen also serves them at http://ADDRESS:PORT/metrics, on a \
            loopback address only. Every metric has the label board:
            """ + "\n" + MuxdMetrics.catalogue.map { "  \($0.name)  \($0.meaning)" }.joined(separator: "\n")
            + "\n\n" + ExitStatus.help(.success, .failed, .unreachable, .usage))

    @Option(help: ArgumentHelp("RPC socket path (env CRYPTECH_RPC_CLIENT_SOCKET_NAME).", valueName: "path"))
    var rpcSocket: String?

    @Option(help: ArgumentHelp("Console socket path (env CRYPTECH_CTY_CLIENT_SOCKET_NAME).", valueName: "path"))
    var ctySocket: String?

    @Option(help: ArgumentHelp("Permission bits of the RPC socket, octal.", valueName: "mode"))
    var rpcSocketMode = "600"

    @Option(help: ArgumentHelp("Permission bits of the console socket, octal.", valueName: "mode"))
    var ctySocketMode = "600"

    @Option(help: ArgumentHelp("Group to own the socket files (use with a mode such as 660).", valueName: "group"))
    var socketGroup: String?

    @Option(help: ArgumentHelp("RPC serial device (env CRYPTECH_RPC_CLIENT_SERIAL_DEVICE).", valueName: "path"))
    var rpcDevice: String?

    @Option(help: ArgumentHelp("Console serial device (env CRYPTECH_CTY_CLIENT_SERIAL_DEVICE).", valueName: "path"))
    var ctyDevice: String?

    @Option(help: ArgumentHelp("Find the RPC port by the USB serial number of its chip instead of a path.", valueName: "serial"))
    var rpcUSBSerial: String?

    @Option(name: .customLong("board"), help: ArgumentHelp("Serve one more board (see below). Repeatable.", valueName: "spec"))
    var boardSpecs: [String] = []

    @Flag(name: [.customShort("p"), .customLong("probe")], help: "Probe ports for the board's RPC and console ports.")
    var probe = false

    @Argument(help: ArgumentHelp("Devices to probe (default: every FTDI 0403:6014 port).", valueName: "device"))
    var probeDevices: [String] = []

    @Option(name: .customLong("timeout"), help: ArgumentHelp(
        "Reply timeout by class: short, standard, long, keyGeneration (e.g. keyGeneration=600). Repeatable.", valueName: "class=seconds"))
    var timeoutSettings: [String] = []

    @Option(help: ArgumentHelp("Log the counters every N seconds.", valueName: "seconds"))
    var stats: Double?

    @Option(help: ArgumentHelp("Write the metrics to this file in Prometheus's text format (see below).", valueName: "path"))
    var metricsFile: String?

    @Option(help: ArgumentHelp("Seconds between writes of --metrics-file.", valueName: "seconds"))
    var metricsInterval: Double = 15

    @Option(help: ArgumentHelp("Also serve the metrics over HTTP on this loopback address, e.g. 127.0.0.1:9187 (off by default).", valueName: "address:port"))
    var metricsListen: String?

    @Flag(help: "Let any client use any pkey or hash handle, and any client send LOGOUT_ALL (the reference daemon's behaviour). By default a connection may name only the handles it created, and LOGOUT_ALL needs a WHEEL or SO login.")
    var noHandleIsolation = false

    @Option(help: ArgumentHelp(
        "After a wrong PIN, hold every further LOGIN to that board back this long, doubling per wrong PIN in a row up to MAX (default 1:30); LOGINs go to a board one at a time. 0 turns it off.",
        valueName: "seconds[:max]"))
    var loginBackoff: String?

    @Option(name: [.customShort("l"), .customLong("log-file")], help: ArgumentHelp("Write the log here instead of stderr.", valueName: "path"))
    var logFile: String?

    @Option(name: [.customShort("L"), .customLong("console-log")], help: ArgumentHelp("Append console output to this file.", valueName: "path"))
    var consoleLog: String?

    @Flag(name: .shortAndLong, help: "More logging; repeat for debug and trace.")
    var verbose: Int

    func validate() throws {
        if let stats, !(stats > 0 && stats.isFinite) { throw ValidationError("--stats must be a positive number of seconds") }
        guard metricsInterval > 0, metricsInterval.isFinite else {
            throw ValidationError("--metrics-interval must be a positive number of seconds")
        }
        if let metricsListen {
            do {
                _ = try LoopbackAddress(parsing: metricsListen)
            } catch {
                throw ValidationError("--metrics-listen: \(error)")
            }
        }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let logger = try makeLogger()
        var configuration = MuxdConfiguration(boards: [])
        let muxd: Muxd
        let metrics = wantsMetrics ? PrometheusCollectorRegistry() : nil
        do {
            for setting in timeoutSettings { try configuration.timeouts.apply(setting) }
            configuration.isolatesHandles = !noHandleIsolation
            if let loginBackoff { configuration.loginBackoff = try LoginBackoff(parsing: loginBackoff) }
            configuration.boards = try boards(environment: environment, logger: logger)
            let factory: any MetricsFactory = metrics.map(Self.metricsFactory) ?? NOOPMetricsHandler.instance
            muxd = try Muxd(configuration: configuration, logger: logger, metricsFactory: factory)
        } catch {
            throw Self.exit(for: error, logger: logger)
        }
        do {
            try await serve(muxd, metrics: metrics, logger: logger)
        } catch {
            throw Self.exit(for: error, logger: logger)
        }
    }

    private var wantsMetrics: Bool { metricsFile != nil || metricsListen != nil }

    /// swift-metrics into `registry`, with request-duration buckets that reach key generation.
    private static func metricsFactory(_ registry: PrometheusCollectorRegistry) -> PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets[MuxdMetrics.requestDuration] = MuxdMetrics.requestDurationBuckets
        return factory
    }

    /// How a daemon that cannot start ends: a bad option as every usage error; anything else
    /// logged, with its status.
    private static func exit(for error: any Error, logger: Logger) -> any Error {
        let status: ExitStatus
        switch error as? MuxdError {
        case .configuration(let text)?: return ValidationError(text)
        case .probe?: status = .unreachable
        default: status = .failed
        }
        logger.critical("\(error)")
        return ExitCode(status)
    }

    private func boards(environment: [String: String], logger: Logger) throws -> [BoardConfiguration] {
        let group = socketGroup
        func mode(_ text: String, _ option: String) throws -> mode_t {
            guard let value = mode_t(text, radix: 8), value <= 0o777 else {
                throw MuxdError.configuration("\(option) '\(text)' is not an octal mode such as 600 or 660")
            }
            return value
        }
        var result: [BoardConfiguration] = []
        var rpcDevice = rpcDevice ?? environment["CRYPTECH_RPC_CLIENT_SERIAL_DEVICE"]
        var ctyDevice = ctyDevice ?? environment["CRYPTECH_CTY_CLIENT_SERIAL_DEVICE"]
        if probe, rpcDevice == nil || ctyDevice == nil {
            let candidates = probeDevices.isEmpty
                ? SysfsSerialPorts().alphaPorts().map(\.ttyPath)
                : probeDevices
            let skip = Set([rpcDevice, ctyDevice].compactMap { $0 })
            let found = probePorts(candidates.filter { !skip.contains($0) })
            rpcDevice = rpcDevice ?? found.first { $0.1 == .rpc }?.0
            ctyDevice = ctyDevice ?? found.first { $0.1 == .console }?.0
            logger.info("probe", metadata: ["muxd.rpc": "\(rpcDevice ?? "-")", "muxd.cty": "\(ctyDevice ?? "-")"])
            if rpcDevice == nil && rpcUSBSerial == nil { throw MuxdError.probe("no RPC port answered among \(candidates)") }
        }
        let locator: DeviceLocator? = rpcUSBSerial.map { .usbSerial($0) } ?? rpcDevice.map { .path($0) }
        if let locator {
            let rpcPath = rpcSocket ?? environment["CRYPTECH_RPC_CLIENT_SOCKET_NAME"] ?? MuxdConfiguration.defaultRPCSocket
            let ctyPath = ctySocket ?? environment["CRYPTECH_CTY_CLIENT_SOCKET_NAME"] ?? MuxdConfiguration.defaultConsoleSocket
            result.append(BoardConfiguration(
                name: "board0", rpcDevice: locator,
                rpcSocket: SocketSpec(path: rpcPath, mode: try mode(rpcSocketMode, "--rpc-socket-mode"), group: group),
                consoleDevice: ctyDevice.map { .path($0) },
                consoleSocket: ctyDevice == nil ? nil : SocketSpec(path: ctyPath, mode: try mode(ctySocketMode, "--cty-socket-mode"), group: group),
                consoleLogPath: consoleLog))
        }
        for (index, spec) in boardSpecs.enumerated() {
            result.append(try parseBoard(spec, index: index + result.count, rpcMode: mode(rpcSocketMode, "--rpc-socket-mode"),
                                         ctyMode: mode(ctySocketMode, "--cty-socket-mode")))
        }
        return result
    }

    private func parseBoard(_ spec: String, index: Int, rpcMode: mode_t, ctyMode: mode_t) throws -> BoardConfiguration {
        var fields: [String: String] = [:]
        for part in spec.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
            let known = ["name", "rpc-device", "usb-serial", "rpc-socket", "cty-device", "cty-socket"]
            guard pair.count == 2, known.contains(pair[0]) else {
                throw MuxdError.configuration("--board '\(spec)': '\(part)' is not one of \(known.map { "\($0)=…" }.joined(separator: ", "))")
            }
            fields[pair[0]] = pair[1]
        }
        guard let socket = fields["rpc-socket"] else { throw MuxdError.configuration("--board '\(spec)': rpc-socket= is required") }
        let device: DeviceLocator
        if let serial = fields["usb-serial"] {
            device = .usbSerial(serial)
        } else if let path = fields["rpc-device"] {
            device = .path(path)
        } else {
            throw MuxdError.configuration("--board '\(spec)': give rpc-device= or usb-serial=")
        }
        if (fields["cty-device"] == nil) != (fields["cty-socket"] == nil) {
            throw MuxdError.configuration("--board '\(spec)': cty-device= and cty-socket= go together")
        }
        return BoardConfiguration(
            name: fields["name"] ?? "board\(index)", rpcDevice: device,
            rpcSocket: SocketSpec(path: socket, mode: rpcMode, group: socketGroup),
            consoleDevice: fields["cty-device"].map { .path($0) },
            consoleSocket: fields["cty-socket"].map { SocketSpec(path: $0, mode: ctyMode, group: socketGroup) },
            consoleLogPath: consoleLog)
    }

    /// Probes every candidate at once (each waits half a second for its answer).
    private func probePorts(_ paths: [String]) -> [(String, Prober.Kind)] {
        let results = ProbeResults(count: paths.count)
        DispatchQueue.concurrentPerform(iterations: paths.count) { index in
            results.set(index, Prober.probe(path: paths[index]))
        }
        return zip(paths, results.values).map { ($0, $1) }
    }

    private func makeLogger() throws -> Logger {
        let level: Logger.Level = switch verbose {
        case 0: .notice
        case 1: .info
        case 2: .debug
        default: .trace
        }
        if let logFile {
            guard let handle = FileLogHandler.open(path: logFile) else {
                throw ValidationError("cannot open log file \(logFile)")
            }
            LoggingSystem.bootstrap { label in FileLogHandler(label: label, file: handle, level: level) }
        } else {
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        }
        return Logger(label: "cryptech-muxd")
    }

    /// Serves until SIGTERM or SIGINT: the muxd and its helpers in one service group, which
    /// stops them gracefully (sockets removed) and returns; a helper that cannot start (a
    /// metrics file it cannot write, an address in use) stops the group with its error.
    private func serve(_ muxd: Muxd, metrics: PrometheusCollectorRegistry?, logger: Logger) async throws {
        // Trapped before the socket exists: a SIGUSR1 sent once a client can connect must not
        // meet the default action, which ends the process.
        let statisticsRequests = await UnixSignalsSequence(trapping: .sigusr1)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: muxd),
            .init(service: StatisticsLog(muxd: muxd, requests: statisticsRequests, interval: stats.map(Self.duration)),
                  successTerminationBehavior: .ignore),
        ]
        if let metrics, let metricsFile {
            services.append(.init(service: MetricsFileWriter(registry: metrics, path: metricsFile,
                                                             interval: Self.duration(metricsInterval), logger: logger)))
        }
        if let metrics, let metricsListen {
            let address = try LoopbackAddress(parsing: metricsListen)
            services.append(.init(service: MetricsHTTPEndpoint(address: address, registry: metrics, logger: logger) { bound in
                logger.notice("metrics served", metadata: ["metrics.url": "http://\(address.with(port: bound.port ?? address.port))/metrics"])
            }))
        }
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    private static func duration(_ seconds: Double) -> Duration { .milliseconds(Int64((seconds * 1000).rounded())) }
}
