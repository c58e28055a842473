import CryptechTransport
import DequeModule
import HalRPC
import Logging
import NIOCore

/// Routes requests from many client connections to one board and its replies back.
///
/// Confined to one event loop, which also runs the board's tty channel and every client
/// channel of this board: no locks, no thread hops on the request path.
///
/// Rules (rpc-wire.md §11.3, and what the reference gets wrong):
/// - Each connection owns a client handle; its requests go to the board with that handle in
///   bytes 4…7, one at a time (the board keys login state and replies on it). A reply is
///   matched by handle *and* function number, and gets the client's own word back.
/// - A request the board does not answer in time gets an error reply
///   (`HAL_ERROR_RPC_TRANSPORT`) and is never re-sent. Before the next request under that
///   handle the muxd sends a *fence*: a request with an unassigned function number, which
///   the board answers at once with `RPC_BAD_FUNCTION` echoing that number. The board works
///   through requests in order, so any late reply arrives before the fence's reply and is
///   dropped; once the fence is answered the handle is clean. A late reply can therefore
///   never answer a newer request, and a board that lost a request does not leave the
///   connection poisoned.
/// - Per-connection state stays strongly owned while anything of it is pending.
final class BoardRouter {
    /// A request waiting for, or being served by, the board.
    private struct Item {
        var frame: [UInt8]
        var functionCode: UInt32
        /// The client word the client itself sent, restored in the reply.
        var originalClient: ClientHandle
        /// Who gets the reply; `nil`: the muxd's own request (LOGOUT), reply dropped.
        var sink: ClientConnection?
        var id: UInt64
    }

    /// Everything pending under one client handle.
    private final class HandleState {
        var connection: ClientConnection?
        var inFlight: Item?
        var timer: Scheduled<Void>?
        var waiting = Deque<Item>()
        /// A request under this handle timed out: a fence must be answered before the next
        /// request goes out.
        var needsFence = false

        var isIdle: Bool { inFlight == nil && waiting.isEmpty }
    }

    let name: String
    let eventLoop: any EventLoop
    private let policy: TimeoutPolicy
    private let logger: Logger
    private var allocator: ClientHandleAllocator
    private var handles: [UInt32: HandleState] = [:]
    private var board: (any Channel)?
    private var boardFlushScheduled = false
    private var nextItemID: UInt64 = 0
    private(set) var statistics = BoardStatistics()

    /// The function number of the fence: unassigned in libhal (numbers 32-65 and above 66
    /// are answered with RPC_BAD_FUNCTION, rpc-wire.md §4.1), and spelling "MUXF".
    static let fenceFunctionCode: UInt32 = 0x4D55_5846

    /// Requests one connection may queue behind its request in flight before the muxd
    /// stops reading from it (backpressure instead of unbounded memory).
    static let maximumQueuedPerConnection = 64

    init(name: String, eventLoop: any EventLoop, policy: TimeoutPolicy, startTime: UInt64, logger: Logger) {
        self.name = name
        self.eventLoop = eventLoop
        self.policy = policy
        self.allocator = ClientHandleAllocator(startTime: startTime)
        self.logger = logger
    }

    var isBoardAttached: Bool { board != nil }

    // MARK: Clients

    /// Registers a new connection and returns its handle.
    func connectionOpened(_ connection: ClientConnection) -> ClientHandle {
        eventLoop.preconditionInEventLoop()
        let handle = allocator.next { handles[$0.rawValue] != nil }
        let state = HandleState()
        state.connection = connection
        handles[handle.rawValue] = state
        statistics.connectionsAccepted += 1
        statistics.connectionsOpen += 1
        statistics.clients[handle.rawValue] = TrafficCounters()
        logger.debug("client connected", metadata: ["muxd.board": "\(name)", "muxd.handle": "\(handle)"])
        return handle
    }

    /// A connection went away: its queued requests are dropped, a reply in flight will be
    /// discarded, and the board is told LOGOUT for the handle (libhal: cleanup on disconnect).
    func connectionClosed(_ handle: ClientHandle) {
        eventLoop.preconditionInEventLoop()
        guard let state = handles[handle.rawValue] else { return }
        state.connection = nil
        state.waiting.removeAll()
        state.inFlight?.sink = nil
        statistics.connectionsOpen -= 1
        if let counters = statistics.clients.removeValue(forKey: handle.rawValue) {
            logger.debug("client closed", metadata: ["muxd.handle": "\(handle)", "muxd.traffic": "\(counters.summary)"])
        }
        if board != nil {
            let logout = RPC.Logout.encodeRequest(NoArguments(), client: handle)
            enqueue(Item(frame: logout, functionCode: FunctionNumber.logout.rawValue,
                         originalClient: handle, sink: nil, id: makeID()), on: handle, state: state)
        }
        pump(handle, state)
    }

    /// A request frame from a connection.
    func request(_ frame: [UInt8], from connection: ClientConnection) {
        eventLoop.preconditionInEventLoop()
        let handle = connection.handle
        guard let state = handles[handle.rawValue], let header = RequestHeader(peeking: frame),
              let rewritten = RequestHeader.replacingClient(in: frame, with: handle)
        else {
            // Shorter than a header: the board would not answer it either (rpc-wire.md §3.2).
            statistics.droppedRequests += 1
            return
        }
        if header.functionCode == Self.fenceFunctionCode {
            // Reserved for the muxd's fence; answered here as the board would answer it.
            connection.send(ReplyHeader.errorReply(functionCode: header.functionCode, client: header.client, status: .rpcBadFunction))
            return
        }
        statistics.traffic.requests += 1
        statistics.traffic.bytesIn += frame.count
        statistics.clients[handle.rawValue]?.requests += 1
        statistics.clients[handle.rawValue]?.bytesIn += frame.count
        enqueue(Item(frame: rewritten, functionCode: header.functionCode, originalClient: header.client,
                     sink: connection, id: makeID()), on: handle, state: state)
        pump(handle, state)
    }

    /// A client frame the SLIP decoder had to drop (too long, bad escape).
    func noteDroppedRequest() { statistics.droppedRequests += 1 }

    private func enqueue(_ item: Item, on handle: ClientHandle, state: HandleState) {
        state.waiting.append(item)
        if item.sink != nil, state.waiting.count >= Self.maximumQueuedPerConnection {
            state.connection?.setReading(false)
        }
    }

    // MARK: The board

    /// The board's tty is open: requests flow again.
    func boardAttached(_ channel: any Channel) {
        eventLoop.preconditionInEventLoop()
        board = channel
        statistics.boardAttachments += 1
        logger.info("board attached", metadata: ["muxd.board": "\(name)"])
        for (raw, state) in handles { pump(ClientHandle(rawValue: raw), state) }
    }

    /// Sends the muxd's own request (LOGOUT_ALL at start); its reply is dropped.
    func sendOwnRequest(_ frame: [UInt8]) {
        eventLoop.preconditionInEventLoop()
        guard let header = RequestHeader(peeking: frame) else { return }
        let state = handles[header.client.rawValue] ?? HandleState()
        handles[header.client.rawValue] = state
        enqueue(Item(frame: frame, functionCode: header.functionCode, originalClient: header.client,
                     sink: nil, id: makeID()), on: header.client, state: state)
        pump(header.client, state)
    }

    /// The board's tty went away: every waiting client gets an error reply at once, and
    /// anything owed by the board is forgotten (a reattached board starts afresh).
    func boardLost(reason: String) {
        eventLoop.preconditionInEventLoop()
        guard board != nil else { return }
        board = nil
        statistics.boardLosses += 1
        logger.warning("board lost", metadata: ["muxd.board": "\(name)", "muxd.reason": "\(reason)"])
        for (raw, state) in handles {
            state.timer?.cancel()
            state.timer = nil
            if let item = state.inFlight { fail(item, handle: raw) }
            state.inFlight = nil
            state.needsFence = false
            pump(ClientHandle(rawValue: raw), state)
        }
    }

    /// A reply frame from the board.
    func reply(_ frame: [UInt8]) {
        eventLoop.preconditionInEventLoop()
        guard let header = ReplyHeader(peeking: frame) ?? RequestHeader(peeking: frame).map({
            ReplyHeader(functionCode: $0.functionCode, client: $0.client, status: .ok)
        }) else {
            statistics.strayReplies += 1
            logger.debug("short frame from the board dropped", metadata: ["muxd.board": "\(name)"])
            return
        }
        let raw = header.client.rawValue
        guard let state = handles[raw] else {
            statistics.strayReplies += 1
            return
        }
        guard let item = state.inFlight, item.functionCode == header.functionCode else {
            // A late answer to a request that already timed out (its client was told), or
            // something the board should not have sent: drop it.
            statistics.strayReplies += 1
            logger.debug("reply matching no request dropped", metadata: ["muxd.handle": "\(header.client)"])
            return
        }
        state.timer?.cancel()
        state.timer = nil
        state.inFlight = nil
        if header.functionCode == Self.fenceFunctionCode {
            state.needsFence = false
        }
        if let sink = item.sink {
            let restored = RequestHeader.replacingClient(in: frame, with: item.originalClient) ?? frame
            sink.send(restored)
            statistics.traffic.replies += 1
            statistics.traffic.bytesOut += frame.count
            statistics.clients[raw]?.replies += 1
            statistics.clients[raw]?.bytesOut += frame.count
        }
        pump(header.client, state)
    }

    // MARK: Dispatch

    /// Sends the next request of `handle` if nothing of it is at the board.
    private func pump(_ handle: ClientHandle, _ state: HandleState) {
        let raw = handle.rawValue
        while state.inFlight == nil, let next = state.waiting.first {
            guard board != nil else {
                state.waiting.removeFirst()
                fail(next, handle: raw)
                continue
            }
            if state.needsFence {
                let fence = RequestHeader(functionCode: Self.fenceFunctionCode, client: handle)
                send(Item(frame: fence.encodedMessage, functionCode: Self.fenceFunctionCode,
                          originalClient: handle, sink: nil, id: makeID()), handle: handle, state: state)
                break
            }
            state.waiting.removeFirst()
            send(next, handle: handle, state: state)
        }
        if state.waiting.count < Self.maximumQueuedPerConnection / 2 { state.connection?.setReading(true) }
        if state.connection == nil, state.isIdle, handles[raw] === state {
            handles[raw] = nil
        }
    }

    private func send(_ item: Item, handle: ClientHandle, state: HandleState) {
        guard let board else { return }
        state.inFlight = item
        let limit = policy.timeout(for: item.functionCode)
        let id = item.id
        state.timer = eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(limit.nanosecondsClamped)) { [weak self] in
            self?.timedOut(handle: handle, id: id, after: limit)
        }
        board.write(item.frame, promise: nil)
        scheduleBoardFlush()
    }

    /// Frames from all clients that arrive in one loop iteration leave in one tty write.
    private func scheduleBoardFlush() {
        guard !boardFlushScheduled else { return }
        boardFlushScheduled = true
        eventLoop.assumeIsolated().execute { [self] in
            boardFlushScheduled = false
            board?.flush()
        }
    }

    private func timedOut(handle: ClientHandle, id: UInt64, after limit: Duration) {
        guard let state = handles[handle.rawValue], let item = state.inFlight, item.id == id else { return }
        state.inFlight = nil
        state.timer = nil
        state.needsFence = true
        if item.functionCode == Self.fenceFunctionCode {
            // Not even the fence was answered: the board is not working through requests.
            // Whoever waits behind it is told now rather than after their own timeouts.
            logger.warning("board answers nothing", metadata: ["muxd.board": "\(name)", "muxd.handle": "\(handle)"])
            while let waiting = state.waiting.popFirst() { fail(waiting, handle: handle.rawValue) }
        } else {
            statistics.traffic.timeouts += 1
            statistics.clients[handle.rawValue]?.timeouts += 1
            let function = FunctionNumber(rawValue: item.functionCode)?.name ?? "function \(item.functionCode)"
            logger.warning("board did not answer in time", metadata: [
                "muxd.board": "\(name)", "muxd.handle": "\(handle)", "muxd.function": "\(function)", "muxd.timeout": "\(limit)",
            ])
            fail(item, handle: handle.rawValue)
        }
        pump(handle, state)
    }

    /// Answers `item`'s client (if it has one) with `HAL_ERROR_RPC_TRANSPORT`, the status the reference
    /// clients treat as a transport failure.
    private func fail(_ item: Item, handle: UInt32) {
        guard let sink = item.sink else { return }
        statistics.traffic.errors += 1
        statistics.clients[handle]?.errors += 1
        sink.send(ReplyHeader.errorReply(functionCode: item.functionCode, client: item.originalClient, status: .rpcTransport))
    }

    private func makeID() -> UInt64 {
        nextItemID &+= 1
        return nextItemID
    }
}

extension Duration {
    /// Whole nanoseconds, clamped to what NIO's `TimeAmount` holds.
    var nanosecondsClamped: Int64 {
        let (seconds, attoseconds) = components
        guard seconds < Int64.max / 1_000_000_000 else { return .max }
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}

extension RequestHeader {
    /// The header alone as a message (a request without arguments).
    var encodedMessage: [UInt8] {
        var encoder = XDREncoder(capacity: Self.size)
        encoder.encode(self)
        return encoder.bytes
    }
}
