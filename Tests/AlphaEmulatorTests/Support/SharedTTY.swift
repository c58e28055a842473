import CryptechTransport
import HalRPC
import Synchronization

/// Several ``HSMClient``s on one emulator tty, told apart by their client handle: a tty has a
/// single reader, so clients that share a board need a multiplexer (the muxd's job in
/// production). Requests go out on the one link; each reply goes to the client whose handle
/// it carries.
final class SharedTTY: Sendable {
    let link: any FrameLink
    private let routes = Mutex<[ClientHandle: InProcessLink]>([:])
    private let reader = Mutex<Task<Void, Never>?>(nil)

    private init(link: any FrameLink) {
        self.link = link
    }

    static func open(_ path: String) async throws -> SharedTTY {
        let shared = SharedTTY(link: try await SerialConnector(path: path).open())
        let task = Task { [shared] in
            while let frame = try? await shared.link.receive(timeout: nil) {
                guard let header = ReplyHeader(peeking: frame) else { continue }
                let route = shared.routes.withLock { $0[header.client] }
                try? await route?.send(frame)
            }
        }
        shared.reader.withLock { $0 = task }
        return shared
    }

    /// A client whose requests carry `handle`.
    func client(_ handle: ClientHandle) -> HSMClient {
        let (clientSide, muxSide) = InProcessLink.pair(endpoint: "shared tty, client \(handle)")
        routes.withLock { $0[handle] = muxSide }
        Task { [link] in
            while let frame = try? await muxSide.receive(timeout: nil) {
                try? await link.send(frame)
            }
        }
        return HSMClient(connector: FixedConnector(link: clientSide), client: handle)
    }

    func close() async {
        reader.withLock { $0?.cancel() }
        for route in routes.withLock({ Array($0.values) }) { await route.close() }
        await link.close()
    }
}

/// A connector that hands out one link, once.
private struct FixedConnector: Connector {
    let link: InProcessLink
    var endpoint: String { link.endpoint }
    func open() async throws -> any FrameLink { link }
}
