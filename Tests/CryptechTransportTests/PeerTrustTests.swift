@testable import CryptechTransport
import BlockingWork
import Foundation
import NIOCore
import NIOPosix
import Synchronization
import Testing

/// Counts the bytes a socket server receives, to show a refused client sent nothing.
private final class ByteCount: Sendable {
    let value = Atomic<Int>(0)
}

private final class CountingHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    let count: ByteCount
    init(count: ByteCount) { self.count = count }
    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        count.value.add(unwrapInboundIn(data).readableBytes, ordering: .relaxed)
    }
}

private func temporaryPath(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("cryptech-\(name)-\(UUID().uuidString.prefix(8)).sock").path
}

private func startCountingServer(at path: String, count: ByteCount) async throws -> any Channel {
    try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .childChannelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(CountingHandler(count: count))
            }
        }
        .bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true)
        .get()
}

@Suite struct PeerTrustTests {
    private let accounts: (String) -> UInt32? = { ["cryptech": 998, "hsm": 1234][$0] }

    private func peer(_ uid: UInt32) -> PeerCredentials { PeerCredentials(pid: 4242, uid: uid, gid: uid) }

    @Test func theStandardTrustAcceptsRootItselfAndTheCryptechAccount() throws {
        let accepted = try PeerTrust.standard.accepted(for: "/s", ownUID: 1000, environment: [:], accountID: accounts)
        #expect(accepted.admits(peer(0)))
        #expect(accepted.admits(peer(1000)))
        #expect(accepted.admits(peer(998)))
        #expect(!accepted.admits(peer(1001)))
        #expect(accepted.description == "uid 0 (root), uid 998 (account cryptech), uid 1000 (this process's user)")
    }

    @Test func theVariableAddsAUserByUIDOrName() throws {
        let byUID = try PeerTrust.standard.accepted(for: "/s", ownUID: 1000, environment: ["CRYPTECH_MUXD_UID": "1001"], accountID: accounts)
        #expect(byUID.admits(peer(1001)))
        let byName = try PeerTrust.standard.accepted(for: "/s", ownUID: 1000, environment: ["CRYPTECH_MUXD_UID": "hsm"], accountID: accounts)
        #expect(byName.admits(peer(1234)))
        #expect(!byName.admits(peer(1001)))
        let empty = try PeerTrust.standard.accepted(for: "/s", ownUID: 1000, environment: ["CRYPTECH_MUXD_UID": ""], accountID: accounts)
        #expect(!empty.admits(peer(1001)), "an empty variable counts as unset")
        let error = #expect(throws: TransportError.self) {
            try PeerTrust.standard.accepted(for: "/run/x.rpc", ownUID: 1000, environment: ["CRYPTECH_MUXD_UID": "nobody-here"], accountID: accounts)
        }
        #expect(error?.code == .invalidArgument)
        #expect(error?.description.contains("/run/x.rpc") == true)
        #expect(error?.description.contains("CRYPTECH_MUXD_UID='nobody-here'") == true)
    }

    @Test func explicitUsersIgnoreTheEnvironmentAndTheAccount() throws {
        let accepted = try PeerTrust.users([77]).accepted(for: "/s", ownUID: 1000, environment: ["CRYPTECH_MUXD_UID": "1001"], accountID: accounts)
        #expect(accepted.admits(peer(77)) && accepted.admits(peer(0)) && accepted.admits(peer(1000)))
        #expect(!accepted.admits(peer(1001)) && !accepted.admits(peer(998)))
    }

    @Test func theRefusalNamesTheSocketThePeerAndWhatWouldBeAccepted() throws {
        let accepted = try PeerTrust.standard.accepted(for: "/tmp/.cryptech_muxd.rpc", ownUID: 1000, environment: [:], accountID: accounts)
        let refusal = accepted.refusal(of: peer(1001), endpoint: "/tmp/.cryptech_muxd.rpc")
        #expect(refusal.code == .untrustedPeer)
        #expect(refusal.peer == peer(1001))
        let text = refusal.description
        for part in ["/tmp/.cryptech_muxd.rpc", "uid 1001", "pid 4242", "uid 0 (root)", "uid 998 (account cryptech)", "CRYPTECH_MUXD_UID=1001"] {
            #expect(text.contains(part), "\(part) in: \(text)")
        }
    }

    @Test func aDaemonOfOurOwnUserIsAcceptedOnARealSocket() async throws {
        let path = temporaryPath("trust-own")
        let count = ByteCount()
        let server = try await startCountingServer(at: path, count: count)
        let link = try await UnixSocketConnector(path: path).open()
        try await link.send([1, 2, 3])
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(60)
        while count.value.load(ordering: .relaxed) < 5, clock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        #expect(count.value.load(ordering: .relaxed) == 5, "END 1 2 3 END reached the server")
        await link.close()
        try await server.close()
    }

    @Test func theKernelsCredentialsAreReadAndAnUntrustedDaemonGetsNothing() async throws {
        // Only a test can distrust its own uid; the peer is this very process.
        let path = temporaryPath("trust-refused")
        let count = ByteCount()
        let server = try await startCountingServer(at: path, count: count)
        let connector = UnixSocketConnector(path: path, trust: .only([0xFFFF_FFF0]))
        let error = await #expect(throws: TransportError.self) { try await connector.open() }
        #expect(error?.code == .untrustedPeer)
        #expect(error?.endpoint == path)
        #expect(error?.peer?.uid == getuid())
        #expect(error?.peer?.pid == getpid())
        #expect(error?.peer?.gid == getgid())
        #expect(error?.description.contains("pid \(getpid())") == true)
        try await Task.sleep(for: .milliseconds(100))
        #expect(count.value.load(ordering: .relaxed) == 0, "nothing was sent to the refused daemon")
        try await server.close()
    }

    /// Another user really binds the socket first (the squatter the check is for): needs root
    /// to run a process as `nobody`.
    @Test(.enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")
                   && FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")))
    func aSocketBoundByAnotherUserIsRefused() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cryptech-squat-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o777])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/muxd.rpc"
        let squatter = Process()
        squatter.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        squatter.arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/python3", "-c", """
            import socket, sys
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.bind(sys.argv[1]); s.listen(4)
            print("ready", flush=True)
            c, _ = s.accept()
            total = 0
            while True:
                data = c.recv(65536)
                if not data: break
                total += len(data)
            print("received", total, flush=True)
            """, path]
        let output = Pipe()
        squatter.standardOutput = output
        try squatter.run()
        defer { if squatter.isRunning { squatter.terminate() } }
        let lines = output.fileHandleForReading
        // Blocking reads and waits run on a Dispatch thread: the cooperative pool stays free.
        let ready = try await offThePool { String(decoding: lines.availableData, as: UTF8.self) }
        #expect(ready.hasPrefix("ready"))
        let error = await #expect(throws: TransportError.self) { try await UnixSocketConnector(path: path).open() }
        #expect(error?.code == .untrustedPeer)
        #expect(error?.peer?.uid == 65534)
        #expect(error?.peer?.pid == squatter.processIdentifier)
        let rest = try await offThePool {
            squatter.waitUntilExit()
            return String(decoding: lines.readDataToEndOfFile(), as: UTF8.self)
        }
        #expect(rest.contains("received 0"), "the squatter got nothing: \(rest)")
    }
}
