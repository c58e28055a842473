import CryptechTransport
import Synchronization

/// A ``Connector`` whose every `open()` makes a fresh in-process link pair and lets a
/// ``FakeAlpha`` serve the board side. Keeps the board sides so a test can pull the plug.
final class FakeAlphaConnector: Connector {
    let board: FakeAlpha
    let endpoint = "fake-alpha"
    private let boardLinks = Mutex<[InProcessLink]>([])
    private let opens = Atomic<Int>(0)

    init(board: FakeAlpha = FakeAlpha()) { self.board = board }

    func open() async throws -> any FrameLink {
        let (host, device) = InProcessLink.pair(endpoint: endpoint)
        boardLinks.withLock { $0.append(device) }
        opens.add(1, ordering: .relaxed)
        let board = self.board
        Task { await board.serve(device) }
        return host
    }

    /// How many links were opened.
    var openCount: Int { opens.load(ordering: .relaxed) }

    /// Closes the board side of every link, as an unplugged board would.
    func unplug() async {
        for link in boardLinks.withLock({ $0 }) { await link.close() }
    }
}
