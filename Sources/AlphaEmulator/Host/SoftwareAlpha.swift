#if canImport(Glibc)
import Glibc
#endif
import CryptechTransport
import Dispatch
import Foundation
import HalRPC
import Logging
import Synchronization

/// The software Alpha: a pseudo-terminal whose slave side a host opens exactly like the
/// board's USB serial port, with the board's RPC server behind it (design.md, "The software
/// Alpha").
///
///     let alpha = try SoftwareAlpha(configuration: .init(stateDirectory: "/tmp/alpha"), logger: logger)
///     alpha.start()
///     let client = HSMClient(connector: SerialConnector(path: alpha.rpcPath))
///     ...
///     alpha.stop()
///
/// The pty keeps its own slave descriptor open, so hosts may close and reopen the tty at will
/// and the emulator keeps serving. In-process use suits tests that need no process boundary;
/// ``EmulatorProcess`` runs the `cryptech-emulator` executable instead.
public final class SoftwareAlpha: Sendable {
    /// The RPC tty to open, e.g. `/dev/pts/7`.
    public let rpcPath: String
    /// The console tty, when the configuration asked for one.
    public let consolePath: String?

    private let pty: PseudoTerminal
    private let port: RPCPort
    private let server: AlphaServer
    private let console: ConsolePort?
    private let logger: Logger
    private let started = Mutex(false)
    private let portStopped = DispatchSemaphore(value: 0)

    /// Allocates the ptys and opens the state directory (token keys loaded, PINs applied).
    /// Nothing is served until ``start()``.
    /// - Throws: `TransportError` without ptys, `DurableFileError` or `HALError` when the
    ///   state directory cannot be used.
    public init(configuration: EmulatorConfiguration, logger: Logger) throws {
        self.logger = logger
        server = try AlphaServer(configuration: configuration, logger: logger)
        pty = try PseudoTerminal()
        rpcPath = pty.slavePath
        port = try RPCPort(
            descriptor: pty.master, endpoint: pty.slavePath, router: RequestRouter(server: server),
            baud: configuration.baud, faults: configuration.faults, logger: logger)
        if configuration.console {
            let console = try ConsolePort(users: server.users, pinChecks: server.pinChecks, logger: logger)
            self.console = console
            consolePath = console.path
        } else {
            console = nil
            consolePath = nil
        }
    }

    /// Starts serving: the RPC port's I/O thread, the console's, and the rebuild of stored
    /// hashsig keys (hashsig operations answer NOT_READY until it is done). Idempotent.
    public func start() {
        let first = started.withLock { started in
            defer { started = true }
            return !started
        }
        guard first else { return }
        let port = self.port
        let stopped = portStopped
        Thread.detachNewThread {
            port.run()
            stopped.signal()
        }
        let server = self.server
        Thread.detachNewThread { server.rebuildHashsigKeys() }
        console?.start()
        logger.info("serving", metadata: [
            "emulator.rpc": "\(rpcPath)", "emulator.console": "\(consolePath ?? "-")",
            "emulator.firmware": "\(server.configuration.firmware.rawValue)",
        ])
    }

    /// Whether the start-up rebuild of hashsig keys is done.
    public var isHashsigReady: Bool { server.hashsig.isReady }

    /// Stops serving and closes the ptys; a host with the tty open then reads end of file.
    /// Call once; the alpha cannot be started again.
    public func stop() {
        let wasRunning = started.withLock { started in
            defer { started = false }
            return started
        }
        port.stop()
        if wasRunning { portStopped.wait() }
        console?.stop()
        pty.close()
        server.stateLock?.release()
    }
}
