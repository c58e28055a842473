import EtcdClient
import Foundation

/// A real etcd cluster for tests: members on loopback, each with its own temporary data
/// directory and free ports, started by ``with(members:tls:_:)`` and always torn down when its
/// body returns or throws (every process killed and awaited, the directory removed).
///
/// Members can be stopped, killed, paused (SIGSTOP), resumed and restarted to play out member
/// loss, a paused or partitioned member, and loss of quorum.
public actor EtcdTestCluster {
    /// PEM files for the members' client TLS (`--cert-file`, `--key-file`, and with `clientCA`
    /// `--client-cert-auth --trusted-ca-file`), and what a client needs to talk to them.
    public struct TLSFiles: Sendable {
        public var certificateFile: String
        public var keyFile: String
        public var clientCAFile: String?
        /// The client side: the CA that signed the members' certificate, and a client
        /// certificate when `clientCAFile` requires one. The cluster's own checks use it.
        public var client: EtcdConfiguration.TLS

        public init(certificateFile: String, keyFile: String, clientCAFile: String? = nil, client: EtcdConfiguration.TLS) {
            self.certificateFile = certificateFile
            self.keyFile = keyFile
            self.clientCAFile = clientCAFile
            self.client = client
        }
    }

    /// The members' client endpoints, in member order.
    public nonisolated let endpoints: [EtcdEndpoint]
    /// The cluster's temporary directory (data directories and logs), gone after teardown.
    public nonisolated let directory: String
    private let peerPorts: [Int]
    private let tls: TLSFiles?
    private let watchdog: EtcdWatchdog
    private var processes: [EtcdMemberProcess?] {
        didSet { watchdog.watch(processes.compactMap { $0?.processIdentifier }) }
    }

    /// Heartbeat and election timeout in ms, 2.5× etcd's defaults: a loaded machine (CI beside
    /// builds) starves members of CPU, and spurious elections would only slow the tests. The
    /// shortest lease etcd then grants is 1.5 election timeouts, 4 s.
    static let heartbeatMilliseconds = 250
    static let electionMilliseconds = 2500
    public static let minimumLeaseSeconds: Int64 = 4

    /// Starts a cluster of `members`, waits until every member serves a linearizable read,
    /// runs `body`, and tears the cluster down whatever happens.
    public static func with<Result: Sendable>(
        members: Int = 3,
        tls: TLSFiles? = nil,
        _ body: (EtcdTestCluster) async throws -> Result
    ) async throws -> Result {
        let cluster = try await start(members: members, tls: tls)
        do {
            let result = try await body(cluster)
            await cluster.tearDown()
            return result
        } catch {
            await cluster.tearDown()
            throw error
        }
    }

    /// A client for all members (or the ones in `members`), with `requestTimeout` at each.
    public nonisolated func client(
        members: [Int]? = nil,
        requestTimeout: Duration = EtcdConfiguration.defaultRequestTimeout,
        tls: EtcdConfiguration.TLS? = nil,
        credentials: EtcdConfiguration.Credentials? = nil
    ) throws -> EtcdClient {
        let chosen = members.map { $0.map { endpoints[$0] } } ?? endpoints
        return try EtcdClient(
            configuration: EtcdConfiguration(endpoints: chosen, tls: tls, credentials: credentials, requestTimeout: requestTimeout)
        )
    }

    // MARK: Member control

    /// SIGTERM, and waits until the member has exited.
    public func stop(_ member: Int) async {
        let exit = processes[member]?.end(signal: SIGTERM)
        processes[member] = nil
        _ = await exit?.value
    }

    /// SIGKILL (a crash, a pulled plug), and waits until the member is gone.
    public func kill(_ member: Int) async {
        let exit = processes[member]?.end(signal: SIGKILL)
        processes[member] = nil
        _ = await exit?.value
    }

    /// SIGSTOP: the member keeps its connections but answers nothing (a hung or partitioned host).
    public func pause(_ member: Int) {
        processes[member]?.signal(SIGSTOP)
    }

    /// SIGCONT after ``pause(_:)``.
    public func resume(_ member: Int) {
        processes[member]?.signal(SIGCONT)
    }

    /// Starts a stopped or killed member again on its data directory, and waits until it
    /// serves a linearizable read (which needs a quorum).
    public func restart(_ member: Int) async throws {
        await kill(member)
        processes[member] = try launch(member, state: "existing")
        try await waitUntilServing(members: [member])
    }

    /// The process id of a running member (for signals a test sends itself).
    public func processIdentifier(_ member: Int) -> Int32? { processes[member]?.processIdentifier }

    // MARK: Start and teardown

    private init(endpoints: [EtcdEndpoint], peerPorts: [Int], directory: String, tls: TLSFiles?) throws {
        self.endpoints = endpoints
        self.peerPorts = peerPorts
        self.directory = directory
        self.tls = tls
        self.watchdog = try EtcdWatchdog(directory: directory)
        self.processes = Array(repeating: nil, count: endpoints.count)
    }

    /// Starts on free ports. A port is free when the kernel hands it out, but another process
    /// can take it between our close and etcd's bind; a member that then fails to bind ends the
    /// attempt, and the next one draws new ports.
    private static func start(members: Int, tls: TLSFiles?) async throws -> EtcdTestCluster {
        var lastError: (any Error)?
        for _ in 0..<5 {
            let ports = try LoopbackPorts.reserve(2 * members)
            let directory = try TemporaryDirectory.make(prefix: "etcd-cluster")
            let cluster = try EtcdTestCluster(
                endpoints: ports[..<members].map { EtcdEndpoint(host: "127.0.0.1", port: $0) },
                peerPorts: Array(ports[members...]),
                directory: directory,
                tls: tls
            )
            do {
                try await cluster.launchAll()
                return cluster
            } catch let error as EtcdTestClusterError where error.isPortTaken {
                lastError = error
                await cluster.tearDown()
            } catch {
                await cluster.tearDown()
                throw error
            }
        }
        throw lastError ?? EtcdTestClusterError(message: "no free ports")
    }

    private func launchAll() async throws {
        for member in endpoints.indices {
            processes[member] = try launch(member, state: "new")
        }
        try await waitUntilServing(members: Array(endpoints.indices))
    }

    /// Kills every member still running (a paused one too: SIGKILL ends a stopped process)
    /// and removes the directory.
    private func tearDown() async {
        for member in processes.indices {
            await kill(member)
        }
        watchdog.release()
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func launch(_ member: Int, state: String) throws -> EtcdMemberProcess {
        let scheme = tls == nil ? "http" : "https"
        let client = "\(scheme)://127.0.0.1:\(endpoints[member].port)"
        let peer = "http://127.0.0.1:\(peerPorts[member])"
        let initialCluster = peerPorts.indices.map { "m\($0)=http://127.0.0.1:\(peerPorts[$0])" }.joined(separator: ",")
        var arguments = [
            "--name", "m\(member)",
            "--data-dir", "\(directory)/m\(member)",
            "--listen-client-urls", client, "--advertise-client-urls", client,
            "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
            "--initial-cluster", initialCluster,
            "--initial-cluster-state", state,
            // Unique per cluster: members of two clusters that met by a reused port refuse each other.
            "--initial-cluster-token", URL(fileURLWithPath: directory).lastPathComponent,
            "--heartbeat-interval", "\(Self.heartbeatMilliseconds)",
            "--election-timeout", "\(Self.electionMilliseconds)",
        ]
        if let tls {
            arguments += ["--cert-file", tls.certificateFile, "--key-file", tls.keyFile]
            if let ca = tls.clientCAFile { arguments += ["--client-cert-auth", "--trusted-ca-file", ca] }
        }
        return try EtcdMemberProcess(
            executable: try Self.executable("etcd"),
            arguments: arguments,
            log: "\(directory)/m\(member).log"
        )
    }

    /// Waits until each of `members` answers a linearizable read. Until a member listens, a
    /// connection is refused at once, so this asks again after a short pause; once it listens,
    /// the read itself waits in etcd for a leader and a quorum (up to the request deadline).
    private func waitUntilServing(members: [Int]) async throws {
        let deadline = ContinuousClock.now + .seconds(120)
        for member in members {
            let client = try self.client(members: [member], requestTimeout: .seconds(30), tls: tls?.client)
            do {
                try await waitUntilServing(member, client: client, deadline: deadline)
                await client.shutdown()
            } catch {
                await client.shutdown()
                throw error
            }
        }
    }

    private func waitUntilServing(_ member: Int, client: EtcdClient, deadline: ContinuousClock.Instant) async throws {
        while true {
            do {
                _ = try await client.get("/etcd-test-cluster/ready")
                return
            } catch {
                // Only "not served" is waited out; any other answer is a real failure.
                guard case .noQuorum = error else { throw error }
                if let process = processes[member], !process.isRunning {
                    let log = (try? String(contentsOfFile: process.log, encoding: .utf8)) ?? ""
                    throw EtcdTestClusterError(
                        message: "etcd member m\(member) exited before serving: \(error)\n\(log.suffix(4000))",
                        isPortTaken: log.contains("address already in use")
                    )
                }
                guard ContinuousClock.now < deadline else {
                    throw EtcdTestClusterError(message: "etcd member m\(member) not serving after 120 s: \(error)")
                }
                try await Task.sleep(for: .milliseconds(50))
            }
        }
    }
}
