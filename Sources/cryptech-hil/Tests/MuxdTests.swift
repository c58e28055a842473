import AlphaEmulator
import CryptechMuxd
import Foundation
import HalRPC
import Logging

/// The muxd under concurrent clients. Behind a muxd socket the target's own muxd is tested;
/// on a serial port an in-process muxd serves the board for the test.
enum MuxdTests {
    static let clients = 8
    static let rounds = 25

    @Sendable static func concurrentClients(_ context: HILContext) async throws {
        let target = context.target
        if case .muxd(let path) = target.boards[0].endpoint {
            try await exercise(socket: path, context: context)
            return
        }
        guard case .serial(let device, _) = target.boards[0].endpoint else { return }
        await target.release(0)
        let socket = context.directory + "/hil.rpc"
        let configuration = MuxdConfiguration(boards: [
            BoardConfiguration(name: "hil", rpcDevice: .path(device), rpcSocket: SocketSpec(path: socket)),
        ])
        let muxd = try Muxd(configuration: configuration, logger: Logger(label: "cryptech-hil.muxd") { _ in SwiftLogNoOpLogHandler() })
        try await muxd.start()
        context.log("in-process muxd on \(device) at \(socket)")
        do {
            try await exercise(socket: socket, context: context)
        } catch {
            await muxd.shutdown()
            throw error
        }
        await muxd.shutdown()
    }

    /// Eight connections at once, each hashing its own data (a reply routed to the wrong client
    /// would carry another client's digest) and drawing random bytes; then logins, which belong
    /// to one connection each.
    private static func exercise(socket: String, context: HILContext) async throws {
        let endpoint = HSMEndpoint.muxd(socketPath: socket)
        let first = HSMClient(endpoint: endpoint)
        let other = HSMClient(endpoint: endpoint)
        do {
            try await exercise(endpoint, first: first, other: other, context: context)
        } catch {
            await first.close()
            await other.close()
            throw error
        }
        await first.close()
        await other.close()
    }

    private static func exercise(_ endpoint: HSMEndpoint, first: HSMClient, other: HSMClient, context: HILContext) async throws {
        _ = try await first.waitUntilAnswering()

        let randoms = try await withThrowingTaskGroup(of: [[UInt8]].self) { group in
            for index in 0..<clients {
                group.addTask {
                    let client = HSMClient(endpoint: endpoint)
                    do {
                        var drawn: [[UInt8]] = []
                        for round in 0..<rounds {
                            let data = Array("client \(index) round \(round) ".utf8) + Array(repeating: UInt8(index), count: 100 * round)
                            // Another client's digest differs in about half its bits: not
                            // one a lossy link flipped.
                            try await LossyLinks.checkedDigest(client, .sha256, parts: [data],
                                                               what: "client \(index), round \(round): the digest of this client's data", context)
                            drawn.append(try await client.getRandom(count: 16))
                        }
                        await client.close()
                        return drawn
                    } catch {
                        await client.close()
                        throw error
                    }
                }
            }
            var all: [[UInt8]] = []
            for try await drawn in group { all += drawn }
            return all
        }
        try check(randoms.count == clients * rounds, "\(randoms.count) random replies, expected \(clients * rounds)")
        try check(Set(randoms).count == randoms.count, "two clients got the same random bytes")
        context.log("\(clients) clients x \(rounds) rounds of HASH + GET_RANDOM through \(endpoint)")

        // A login is the connection's own: another connection stays logged out.
        try await first.login(user: .normal, pin: context.target.pin)
        try check(try await first.isLoggedIn(user: .normal), "the first connection is not logged in")
        try check(try await !other.isLoggedIn(user: .normal), "a second connection shares the first one's login")
        try await first.logout()
    }
}
