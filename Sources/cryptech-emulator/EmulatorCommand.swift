#if canImport(Glibc)
import Glibc
#endif
import AlphaEmulator
import ArgumentParser
import CryptechExitStatus
import Foundation
import HalRPC
import Logging
import ServiceLifecycle

/// `cryptech-emulator`: a software Cryptech Alpha serving the RPC protocol on a pseudo-terminal.
@main
struct EmulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cryptech-emulator",
        abstract: "A software Cryptech Alpha: serves the board's RPC protocol on a pseudo-terminal.",
        discussion: """
            Prints the RPC tty's path on the first line of standard output (and the console tty's \
            on the second with --console), then serves until SIGTERM or SIGINT. Logs go to \
            standard error.

            Initial PINs (tests and tools) come from --init-pin-file PATH, a file only its owner \
            may access (mode 600), or --init-pin-env NAME, an environment variable, never from \
            the command line, which every local user can read. Either holds one line per user: \
            user=PIN, so=PIN, wheel=PIN (the PIN is the rest of the line; lines starting with # \
            are skipped). In bash, --init-pin-file <(printf 'user=%s\\n' "$PIN") passes them \
            through neither a file nor a command line.

            PINs are checked one at a time for the whole board: after a wrong PIN, every \
            further PIN check, from any client or the console, waits --wrong-pin-delay (doubling \
            per consecutive wrong PIN with SX1).

            --firmware reference behaves as the stock firmware of boards in the field instead of \
            SX1 (the default). What differs:

            """ + FirmwareBehaviour.differencesText + "\n\n"
            + ExitStatus.help(.success, .failed, .usage))

    @Option(name: .long, help: "Directory for token keys and PINs (created if missing). Without it, everything is lost at exit.")
    var stateDir: String?

    @Option(name: .long, help: "Create a symbolic link to the RPC tty at this path (replaced if present, removed at exit).")
    var link: String?

    @Flag(name: .long, help: "Open a second tty with the board's console prompts.")
    var console = false

    @Option(name: .long, help: "Create a symbolic link to the console tty at this path.")
    var consoleLink: String?

    @Option(name: .long, help: "Set PINs at start without login from this file (lines user=PIN, so=PIN, wheel=PIN; refused unless only its owner may access it).")
    var initPinFile: String?

    @Option(name: .long, help: "Set PINs at start without login from this environment variable (the same lines); it is removed from the environment once read.")
    var initPinEnv: String?

    @Option(name: .long, help: "Seconds every further PIN check waits after a wrong PIN, whichever client sends it (the board: 5; SX1 doubles it per consecutive wrong PIN, up to 64x). 0: no wait.")
    var wrongPinDelay: Double = 5

    @Option(name: .long, help: "Throttle the RPC tty to N/10 bytes per second each way, like the real link (e.g. 921600).")
    var baud: Int?

    @Option(name: .long, help: "Inject faults into replies: drop=P,corrupt=P,delay=MS,seed=S.")
    var fault: String?

    @Flag(name: .long, help: "Make CHECK_TAMPER report a tamper event.")
    var tamper = false

    @Option(name: .long, help: "Which firmware to behave as: sx1 (the share-export extension) or reference (stock).")
    var firmware: Firmware = .sx1

    @Option(name: .long, help: "Hold the start-up rebuild of hashsig keys until a file exists at this path (tests: observe NOT_READY).")
    var rebuildGate: String?

    @Flag(name: .long, help: "Stop when the parent process goes away (set by launchers such as test harnesses).")
    var exitWithParent = false

    @Flag(name: .shortAndLong, help: "More logging on standard error (repeat for debug).")
    var verbose: Int

    func validate() throws {
        if let baud, baud <= 0 { throw ValidationError("--baud must be positive") }
        guard wrongPinDelay >= 0, wrongPinDelay.isFinite else { throw ValidationError("--wrong-pin-delay must be ≥ 0") }
        if initPinFile != nil, initPinEnv != nil { throw ValidationError("--init-pin-file and --init-pin-env: give one of them") }
    }

    func run() async throws {
        var configuration = EmulatorConfiguration(
            stateDirectory: stateDir,
            wrongPINDelay: .milliseconds(Int64((wrongPinDelay * 1000).rounded())),
            baud: baud, console: console || consoleLink != nil, tamper: tamper,
            rebuildGate: rebuildGate, firmware: firmware)
        do {
            if let initPinFile { configuration.initialPINs = try InitialPINs.read(file: initPinFile) }
            if let initPinEnv { configuration.initialPINs = try InitialPINs.read(environmentVariable: initPinEnv) }
            configuration.faults = try fault.map { try FaultPlan(parsing: $0) }
        } catch {
            throw ValidationError("\(error)")
        }

        let level: Logger.Level = verbose >= 2 ? .debug : verbose == 1 ? .info : .notice
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "cryptech.emulator")

        let alpha: SoftwareAlpha
        do {
            alpha = try SoftwareAlpha(configuration: configuration, logger: logger)
        } catch {
            Self.fail("cannot start: \(error)")
        }
        let links = [(link, alpha.rpcPath), (consoleLink, alpha.consolePath)].compactMap { path, target in
            path.flatMap { path in target.map { Announcement.Link(path: path, target: $0) } }
        }

        // Serving starts now; the links and paths appear only once the group traps SIGTERM
        // and SIGINT (``Announcement``).
        alpha.start()
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: alpha),
            .init(service: Announcement(links: links, paths: [alpha.rpcPath] + (alpha.consolePath.map { [$0] } ?? [])),
                  successTerminationBehavior: .ignore),
        ]
        if exitWithParent {
            // A launcher that crashes must not leave emulators behind.
            services.append(.init(service: ParentWatch(parent: getppid()), successTerminationBehavior: .gracefullyShutdownGroup))
        }
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            Announcement.removeLinks(links)
            Self.fail("\(error)")
        }
        Announcement.removeLinks(links)
        logger.info("stopped")
    }

    /// One line on standard error (standard output carries only tty paths), then ends with
    /// ``ExitStatus/failed``.
    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("cryptech-emulator: \(message)\n".utf8))
        Glibc.exit(ExitStatus.failed.rawValue)
    }
}

/// `--firmware sx1|reference`; ArgumentParser lists the values in `--help`.
extension Firmware: ExpressibleByArgument {}
