import CryptechTransport
import Foundation
import HalRPC
import Synchronization

/// A stand-in board on a real pty, answering through HalRPC's server side: GET_VERSION,
/// GET_RANDOM (bytes derived from the requested count, so a client can check the reply is
/// its own), LOGOUT and LOGOUT_ALL (recorded). It can be muted to test timeouts, and
/// restarted on a new pty behind the same symlink to test reattachment.
final class FakeBoard: Sendable {
    let linkPath: String
    private struct State {
        var pty: PseudoTerminal?
        var task: Task<Void, Never>?
        var muted = false
        var logouts: [UInt32] = []
        var logoutAlls = 0
        var requests = 0
    }
    private let state = Mutex(State())

    init(linkPath: String) {
        self.linkPath = linkPath
    }

    /// Opens a new pty, points the link at it and serves it.
    func start() async throws {
        let pty = try PseudoTerminal()
        try? FileManager.default.removeItem(atPath: linkPath)
        try FileManager.default.createSymbolicLink(atPath: linkPath, withDestinationPath: pty.slavePath)
        let link = try await pty.masterLink()
        let task = Task { await self.serve(link) }
        state.withLock {
            $0.pty = pty
            $0.task = task
        }
    }

    /// Closes the pty: the host side sees the board disappear.
    func stop() async {
        let (pty, task) = state.withLock { s in
            defer {
                s.pty = nil
                s.task = nil
            }
            return (s.pty, s.task)
        }
        task?.cancel()
        pty?.close()
        _ = await task?.value
    }

    var muted: Bool {
        get { state.withLock { $0.muted } }
        set { state.withLock { $0.muted = newValue } }
    }

    var logouts: [UInt32] { state.withLock { $0.logouts } }
    var logoutAlls: Int { state.withLock { $0.logoutAlls } }
    var requests: Int { state.withLock { $0.requests } }

    /// The bytes GET_RANDOM answers for `count`: a pattern a client can recompute.
    static func pattern(_ count: Int) -> [UInt8] { (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ count) } }

    private func serve(_ link: ChannelFrameLink) async {
        defer { Task { await link.close() } }
        while !Task.isCancelled {
            guard let frame = try? await link.receive(timeout: nil) else { return }
            guard let request = IncomingRequest(frame: frame) else { continue }
            let muted = state.withLock { s in
                s.requests += 1
                return s.muted
            }
            if muted { continue }
            let reply: [UInt8]
            switch request.function {
            case .getVersion?:
                reply = await request.respond(to: RPC.GetVersion.self) { _ in RPC.GetVersion.Reply(version: 0x0101_0100) }
            case .getRandom?:
                reply = await request.respond(to: RPC.GetRandom.self) { args in
                    RPC.GetRandom.Reply(bytes: FakeBoard.pattern(Int(args.count)))
                }
            case .logout?:
                state.withLock { $0.logouts.append(request.header.client.rawValue) }
                reply = await request.respond(to: RPC.Logout.self) { _ in NoResults() }
            case .logoutAll?:
                state.withLock { $0.logoutAlls += 1 }
                reply = await request.respond(to: RPC.LogoutAll.self) { _ in NoResults() }
            default:
                reply = request.errorReply(.rpcBadFunction)
            }
            try? await link.send(reply)
        }
    }
}
