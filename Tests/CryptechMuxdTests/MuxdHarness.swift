import CryptechMuxd
import CryptechTransport
import Foundation
import HalRPC
import Logging

/// A running muxd on temporary socket paths in front of a fake board on a pty.
struct MuxdHarness {
    let directory: String
    let board: FakeBoard
    let muxd: Muxd
    let rpcSocket: String

    static let quiet = Logger(label: "muxd-test") { _ in SwiftLogNoOpLogHandler() }

    static func start(timeouts: TimeoutPolicy = TimeoutPolicy()) async throws -> MuxdHarness {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("muxd-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let board = FakeBoard(linkPath: directory + "/board.tty")
        try await board.start()
        let rpcSocket = directory + "/rpc.sock"
        let configuration = MuxdConfiguration(
            boards: [BoardConfiguration(name: "test", rpcDevice: .path(board.linkPath), rpcSocket: SocketSpec(path: rpcSocket))],
            timeouts: timeouts, reopenInterval: .milliseconds(50))
        let muxd = try Muxd(configuration: configuration, logger: quiet)
        try await muxd.start()
        let harness = MuxdHarness(directory: directory, board: board, muxd: muxd, rpcSocket: rpcSocket)
        try await harness.waitUntil { board.logoutAlls == 1 }
        return harness
    }

    func client() async throws -> any FrameLink {
        try await UnixSocketConnector(path: rpcSocket).open()
    }

    func stop() async {
        await muxd.shutdown()
        await board.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Polls `condition` until it holds, failing after `limit`.
    func waitUntil(_ limit: Duration = .seconds(60), _ condition: () async -> Bool) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        while !(await condition()) {
            guard clock.now < deadline else { throw HarnessError.conditionNotMet }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    enum HarnessError: Error { case conditionNotMet }
}

/// One GET_RANDOM round trip of `count` bytes over `link`, checked against the fake board's pattern.
func randomRoundTrip(_ link: any FrameLink, count: Int, client: ClientHandle = .zero) async throws -> Result<[UInt8], HALError> {
    let request = RPC.GetRandom.Request(count: UInt32(count))
    try await link.send(RPC.GetRandom.encodeRequest(request, client: client))
    let frame = try await link.receive(timeout: .seconds(60))
    return try RPC.GetRandom.decodeReply(frame, for: request, client: client).map(\.bytes)
}
