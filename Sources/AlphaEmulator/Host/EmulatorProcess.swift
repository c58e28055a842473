#if canImport(Glibc)
import Glibc
#endif
import CryptechTransport
import HalRPC
import Synchronization

/// A `cryptech-emulator` child process, for tests and tools that want the real executable
/// behind a real tty (style.md: integration tests run the real emulator process).
///
///     let alpha = try EmulatorProcess.launch(
///         arguments: ["--state-dir", dir, "--wrong-pin-delay", "0"], initialPINs: [(.normal, PIN("user-pin"))])
///     let client = alpha.makeClient()
///     let version = try await client.getVersion()
///     alpha.terminate()
///
/// Ownership: the object owns the child; ``terminate()`` or ``kill()`` reaps it, and so does
/// `deinit` (with SIGKILL) if neither was called.
public final class EmulatorProcess: Sendable {
    /// The child's process id.
    public let pid: pid_t
    /// The RPC tty the emulator printed.
    public let rpcPath: String
    /// The console tty, when launched with `--console`.
    public let consolePath: String?
    private let exitStatus = Mutex<Int32?>(nil)

    private init(pid: pid_t, rpcPath: String, consolePath: String?) {
        self.pid = pid
        self.rpcPath = rpcPath
        self.consolePath = consolePath
    }

    deinit {
        if exitStatus.withLock({ $0 }) == nil { kill() }
    }

    /// Why a launch failed.
    public struct LaunchError: Error, CustomStringConvertible {
        /// What went wrong: no executable found, a failed pipe or spawn, or no tty path printed in time.
        public var description: String
    }

    /// Finds the executable: `$CRYPTECH_EMULATOR`, else `cryptech-emulator` beside the running
    /// executable (a test bundle or `cryptech-bench` in the build products directory), else
    /// `.build/debug/cryptech-emulator` of the package that holds `filePath`.
    public static func locateExecutable(filePath: String = #filePath) -> String? {
        var candidates: [String] = []
        if let override = getenv("CRYPTECH_EMULATOR") { candidates.append(String(cString: override)) }
        var buffer = [CChar](repeating: 0, count: 4096)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        if length > 0 {
            let path = String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            candidates.append(directory(of: path) + "/cryptech-emulator")
        }
        var root = directory(of: filePath)
        while root.count > 1 {
            candidates.append(root + "/.build/debug/cryptech-emulator")
            root = directory(of: root)
        }
        return candidates.first { access($0, X_OK) == 0 }
    }

    /// Starts `cryptech-emulator` and waits for it to print its tty path(s).
    /// - Parameters:
    ///   - executable: the binary; ``locateExecutable(filePath:)`` if `nil`.
    ///   - arguments: its options (`--console` makes it print a second path, read here too).
    ///   - initialPINs: PINs to set at start; they reach the child in its environment alone
    ///     (``InitialPINs/environmentVariable``, `--init-pin-env`), never on its command line.
    ///   - standardError: a file to append the emulator's log to; `/dev/null` if `nil`.
    ///   - timeout: how long to wait for the paths.
    /// - Throws: ``LaunchError`` when it cannot start or prints nothing in time, or for a PIN
    ///   ``InitialPINs/text(_:)`` refuses.
    public static func launch(
        executable: String? = nil, arguments: [String], initialPINs: [InitialPINs.Entry] = [],
        standardError: String? = nil, timeout: Duration = .seconds(30)
    ) throws(LaunchError) -> EmulatorProcess {
        guard let executable = executable ?? locateExecutable() else {
            throw LaunchError(description: "cryptech-emulator not found (build it, or set CRYPTECH_EMULATOR)")
        }
        var arguments = arguments
        // This process's environment, as is, but for a PIN variable of its own; then ours.
        var envp = inheritedEnvironment(without: InitialPINs.environmentVariable)
        var pinVariable: [CChar] = []
        defer { pinVariable.withUnsafeMutableBufferPointer { $0.update(repeating: 0) } }
        if !initialPINs.isEmpty {
            do {
                let text = try InitialPINs.text(initialPINs)
                pinVariable = (Array((InitialPINs.environmentVariable + "=").utf8) + text + [0]).map { CChar(bitPattern: $0) }
            } catch {
                throw LaunchError(description: "\(error)")
            }
            arguments += ["--init-pin-env", InitialPINs.environmentVariable]
        }
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw LaunchError(description: "pipe: \(String(cString: strerror(errno)))") }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        let errorPath = standardError ?? "/dev/null"

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, ends[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        // Nothing else of this process reaches the child: a descriptor without close-on-exec
        // (NIO's dup of a tty, say) would keep that tty's flock held for the child's life.
        closeFrom(3, in: &actions)

        // The child stops by itself if this process dies without reaping it.
        let argv = ([executable, "--exit-with-parent"] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let status = pinVariable.withUnsafeMutableBufferPointer { variable in
            if !initialPINs.isEmpty { envp.append(variable.baseAddress) }
            envp.append(nil)
            return posix_spawn(&pid, executable, &actions, nil, argv, envp)
        }
        close(ends[1])
        guard status == 0 else {
            close(ends[0])
            throw LaunchError(description: "posix_spawn \(executable): \(String(cString: strerror(status)))")
        }
        let wanted = arguments.contains("--console") || arguments.contains("--console-link") ? 2 : 1
        let lines = readLines(ends[0], count: wanted, timeout: timeout)
        close(ends[0])
        guard lines.count == wanted else {
            Glibc.kill(pid, SIGKILL)
            var ignored: Int32 = 0
            waitpid(pid, &ignored, 0)
            throw LaunchError(description: "cryptech-emulator printed no tty path within \(timeout) (log: \(errorPath))")
        }
        return EmulatorProcess(pid: pid, rpcPath: lines[0], consolePath: wanted == 2 ? lines[1] : nil)
    }

    /// An RPC client on the emulator's tty, like one on a board's USB serial port.
    /// - Parameter client: the client handle word its requests carry.
    ///
    /// One client per tty: a tty has one reader, so clients that must share the board use
    /// the muxd (or a demultiplexer) instead of opening the tty twice.
    public func makeClient(client: ClientHandle = .zero) -> HSMClient {
        HSMClient(connector: SerialConnector(path: rpcPath), client: client)
    }

    /// Stops the emulator with SIGTERM and waits for it.
    /// - Returns: the `waitpid` status.
    @discardableResult
    public func terminate() -> Int32 { end(SIGTERM) }

    /// Kills the emulator with SIGKILL (a crash, for recovery tests) and waits for it.
    @discardableResult
    public func kill() -> Int32 { end(SIGKILL) }

    private func end(_ signal: Int32) -> Int32 {
        exitStatus.withLock { status in
            if let status { return status }
            Glibc.kill(pid, signal)
            var raw: Int32 = 0
            while waitpid(pid, &raw, 0) < 0, errno == EINTR {}
            status = raw
            return raw
        }
    }

    /// This process's environment entries (`NAME=value`, not copied), but for `name`'s.
    private static func inheritedEnvironment(without name: String) -> [UnsafeMutablePointer<CChar>?] {
        let prefix = name + "="
        var entries: [UnsafeMutablePointer<CChar>?] = []
        var entry = environ
        while let pointer = entry.pointee {
            if strncmp(pointer, prefix, prefix.utf8.count) != 0 { entries.append(pointer) }
            entry += 1
        }
        return entries
    }

    /// `posix_spawn_file_actions_addclosefrom_np` (glibc 2.34+), looked up at run time because
    /// Glibc's Swift module hides GNU extensions. Without it the child inherits whatever the
    /// parent left open, as before.
    private static func closeFrom(_ first: Int32, in actions: inout posix_spawn_file_actions_t) {
        typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return }
        _ = unsafeBitCast(symbol, to: AddCloseFrom.self)(&actions, first)
    }

    private static func readLines(_ fd: Int32, count: Int, timeout: Duration) -> [String] {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 512)
        while data.filter({ $0 == 0x0A }).count < count {
            let left = deadline - clock.now
            guard left > .zero else { break }
            var fds = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0)]
            let ms = Int32(clamping: left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000 + 1)
            guard poll(&fds, 1, ms) > 0 else { continue }
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            data += chunk[0..<n]
        }
        return data.split(separator: 0x0A).prefix(count).map { String(decoding: $0, as: UTF8.self) }
    }

    private static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
