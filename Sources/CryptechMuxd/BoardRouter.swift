import CryptechTransport
import DequeModule
import HalRPC
import CoreMetrics
import Logging
import NIOCore

/// Routes requests from many client connections to one board and its replies back.
///
/// Confined to one event loop, which also runs the board's tty channel and every client
/// channel of this board: no locks, no thread hops on the request path.
///
/// Rules (docs/wire-protocol.md §11.3, and what the reference gets wrong):
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
/// - A request unanswered after ``probeDelay`` gets a *probe* behind it under the same handle:
///   another unassigned function number, one per probe. The board serves requests in arrival
///   order (docs/waits.md), so a probe answered while its request is not proves the request's
///   reply was lost or damaged beyond recognition on the tty: the client is told at once
///   (`HAL_ERROR_RPC_TRANSPORT`) instead of after the request's timeout, and the handle needs
///   no fence (everything before the probe is answered). The probe's own answer may be lost
///   too, so further probes follow, each wait twice the one before.
/// - Per-connection state stays strongly owned while anything of it is pending.
final class BoardRouter {
    /// What the muxd remembers of a request until it is answered.
    private struct Request {
        var functionCode: UInt32
        /// The client word the client itself sent, restored in the reply.
        var originalClient: ClientHandle
        /// Who gets the reply; `nil`: the muxd's own request (LOGOUT, a fence), reply dropped.
        var sink: ClientConnection?
        /// What handle isolation learns from the reply.
        var note = HandleIsolation.Note.none
    }

    /// A request at the board, and when the muxd stops waiting for it.
    private struct InFlight {
        var request: Request
        var sentAt: NIODeadline
        var deadline: NIODeadline
        var limit: Duration
        var timeoutClass: RPCTimeout
        /// The function numbers of the probes sent behind it.
        var probes: [UInt32] = []
        /// When the next probe goes out.
        var nextProbe: NIODeadline
    }

    /// Everything pending under one client handle.
    private final class HandleState {
        var connection: ClientConnection?
        var inFlight: InFlight?
        /// Requests behind the one in flight, their frames already carrying the handle.
        var waiting = Deque<(request: Request, frame: [UInt8])>()
        /// A request under this handle timed out: a fence must be answered before the next
        /// request goes out.
        var needsFence = false
        var counters = TrafficCounters()

        var isIdle: Bool { inFlight == nil && waiting.isEmpty }
    }

    let name: String
    let eventLoop: any EventLoop
    private let policy: TimeoutPolicy
    private let logger: Logger
    private var allocator: ClientHandleAllocator
    private var handles: [UInt32: HandleState] = [:]
    private var board: (any Channel)?
    /// Request frames bound for the board in this loop iteration, sent in one write.
    private var boardOutbound = ByteBufferAllocator().buffer(capacity: 4096)
    private var boardFlushScheduled = false
    /// One timer for every request at the board, armed for the earliest deadline: a
    /// scheduled task per request would cost more than the request itself.
    private var deadlineTimer: Scheduled<Void>?
    private var deadlineTimerAt = NIODeadline.distantFuture
    private var counters = BoardStatistics()
    /// The same events for scraping (``MuxdMetrics``); ``counters`` serves the logs and tests.
    let metrics: BoardMetrics
    /// Which handles each connection holds; `nil` when isolation is off.
    private var isolation: HandleIsolation?
    private let loginBackoff: LoginBackoff
    /// The connection whose LOGIN is at the board (one at a time, see ``LoginBackoff``).
    private var loginAtBoard: UInt32?
    /// Connections whose next request is a LOGIN held back, in arrival order.
    private var loginsWaiting = Deque<UInt32>()
    private var loginNotBefore = NIODeadline.uptimeNanoseconds(0)
    private var wrongPINsInARow = 0
    private var loginTimer: Scheduled<Void>?

    /// The function number of the fence: unassigned in libhal (numbers 32-65 and above 66
    /// are answered with RPC_BAD_FUNCTION, docs/wire-protocol.md §4.1), and spelling "MUXF".
    static let fenceFunctionCode: UInt32 = 0x4D55_5846

    /// The high half of every probe's function number ("MP"), unassigned in libhal like the
    /// fence's; the low half counts, so an answer names the probe it answers.
    static let probePrefix: UInt32 = 0x4D50_0000
    /// Starts anywhere, so that answers to an earlier muxd's probes still on the tty do not
    /// name this one's.
    private var lastProbe = UInt16.random(in: .min ... .max)

    /// How long a request waits before the first probe goes behind it. Early is cheap: a
    /// probe can only be answered after the request, so it never ends a slow request early.
    static let probeDelay = Duration.milliseconds(500)

    /// Requests one connection may queue behind its request in flight before the muxd
    /// stops reading from it (backpressure instead of unbounded memory).
    static let maximumQueuedPerConnection = 64

    init(name: String, eventLoop: any EventLoop, policy: TimeoutPolicy, isolatesHandles: Bool = true,
         loginBackoff: LoginBackoff = LoginBackoff(), metricsFactory: any MetricsFactory = MetricsSystem.factory,
         logger: Logger) {
        self.name = name
        self.eventLoop = eventLoop
        self.policy = policy
        self.isolation = isolatesHandles ? HandleIsolation() : nil
        self.loginBackoff = loginBackoff
        self.allocator = ClientHandleAllocator()
        self.metrics = BoardMetrics(board: name, factory: metricsFactory)
        self.logger = logger
    }

    var isBoardAttached: Bool { board != nil }

    /// The board's counters, with those of each open connection.
    var statistics: BoardStatistics {
        var snapshot = counters
        snapshot.clients = handles.compactMapValues { $0.connection == nil ? nil : $0.counters }
        snapshot.clientFlow = handles.compactMapValues { $0.connection?.flow }
        return snapshot
    }

    // MARK: Clients

    /// Registers a new connection and returns its handle.
    func connectionOpened(_ connection: ClientConnection) -> ClientHandle {
        eventLoop.preconditionInEventLoop()
        let handle = allocator.next { handles[$0.rawValue] != nil }
        let state = HandleState()
        state.connection = connection
        handles[handle.rawValue] = state
        counters.connectionsAccepted += 1
        counters.connectionsOpen += 1
        metrics.connectionsAccepted.increment()
        metrics.connectionsOpen.record(counters.connectionsOpen)
        logger.debug("client connected", metadata: ["muxd.board": "\(name)", "muxd.handle": "\(handle)"])
        return handle
    }

    /// A connection went away: its queued requests are dropped, a reply in flight will be
    /// discarded, the board is told to release the pkey and hash handles it held (with
    /// isolation on, the muxd knows them; the reference leaves them allocated, docs/wire-protocol.md
    /// §13 item 13) and LOGOUT for the handle (libhal: cleanup on disconnect).
    func connectionClosed(_ handle: ClientHandle) {
        eventLoop.preconditionInEventLoop()
        guard let state = handles[handle.rawValue] else { return }
        state.connection = nil
        state.waiting.removeAll()
        state.inFlight?.request.sink = nil
        let held = isolation?.forget(handle)
        loginsWaiting.removeAll { $0 == handle.rawValue }
        counters.connectionsOpen -= 1
        metrics.connectionsOpen.record(counters.connectionsOpen)
        logger.debug("client closed", metadata: ["muxd.handle": "\(handle)", "muxd.traffic": "\(state.counters.summary)"])
        if board != nil, let held {
            for pkey in held.pkeys {
                let close = RPC.PKeyClose.encodeRequest(.init(pkey: PKeyHandle(rawValue: pkey)), client: handle)
                enqueue(Request(functionCode: FunctionNumber.pkeyClose.rawValue, originalClient: handle, sink: nil), frame: close, state: state)
            }
            // Finalizing frees a hash handle; 64 bytes is at least any digest's length.
            for hash in held.hashes {
                let finalize = RPC.HashFinalize.encodeRequest(.init(hash: HashHandle(rawValue: hash), length: 64), client: handle)
                enqueue(Request(functionCode: FunctionNumber.hashFinalize.rawValue, originalClient: handle, sink: nil), frame: finalize, state: state)
            }
        }
        if board != nil {
            let logout = RPC.Logout.encodeRequest(NoArguments(), client: handle)
            enqueue(Request(functionCode: FunctionNumber.logout.rawValue, originalClient: handle, sink: nil),
                    frame: logout, state: state)
        }
        pump(handle, state)
    }

    /// A request frame from a connection, lent by its decoder: the client word is replaced
    /// in place and, when nothing of the connection is pending, the frame goes straight into
    /// this iteration's write to the board without being copied.
    func request(_ frame: UnsafeMutableRawBufferPointer, from connection: ClientConnection) {
        eventLoop.preconditionInEventLoop()
        let handle = connection.handle
        guard let state = handles[handle.rawValue], let header = RequestHeader(peeking: UnsafeRawBufferPointer(frame)) else {
            // Shorter than a header: the board would not answer it either (docs/wire-protocol.md §3.2).
            noteDroppedRequest()
            return
        }
        if header.functionCode == Self.fenceFunctionCode {
            // Reserved for the muxd's fence; answered here as the board would answer it.
            connection.send(ReplyHeader.errorReply(functionCode: header.functionCode, client: header.client, status: .rpcBadFunction))
            return
        }
        _ = RequestHeader.replaceClient(in: frame, with: handle)
        counters.traffic.requests += 1
        counters.traffic.bytesIn += frame.count
        metrics.requests.increment()
        metrics.requestBytes.increment(by: frame.count)
        state.counters.requests += 1
        state.counters.bytesIn += frame.count
        let request = Request(functionCode: header.functionCode, originalClient: header.client, sink: connection)
        if board != nil, state.isIdle, !state.needsFence, header.functionCode != FunctionNumber.login.rawValue {
            dispatch(request, frame: UnsafeRawBufferPointer(frame), state: state)
        } else {
            enqueue(request, frame: Array(frame), state: state)
            pump(handle, state)
        }
    }

    /// A client frame the SLIP decoder had to drop (too long, bad escape).
    func noteDroppedRequest() {
        counters.droppedRequests += 1
        metrics.droppedRequests.increment()
    }

    private func enqueue(_ request: Request, frame: [UInt8], state: HandleState) {
        state.waiting.append((request, frame))
        if request.sink != nil, state.waiting.count >= Self.maximumQueuedPerConnection {
            state.connection?.setReading(false)
        }
    }

    // MARK: The board

    /// The board's tty is open: requests flow again.
    func boardAttached(_ channel: any Channel) {
        eventLoop.preconditionInEventLoop()
        board = channel
        boardOutbound.clear()
        counters.boardAttachments += 1
        metrics.boardAttachments.increment()
        metrics.boardAttached.record(1)
        logger.info("board attached", metadata: ["muxd.board": "\(name)"])
        for (raw, state) in handles { pump(ClientHandle(rawValue: raw), state) }
    }

    /// Sends the muxd's own request (LOGOUT_ALL at start); its reply is dropped.
    func sendOwnRequest(_ frame: [UInt8]) {
        eventLoop.preconditionInEventLoop()
        guard let header = RequestHeader(peeking: frame) else { return }
        let state = handles[header.client.rawValue] ?? HandleState()
        handles[header.client.rawValue] = state
        enqueue(Request(functionCode: header.functionCode, originalClient: header.client, sink: nil), frame: frame, state: state)
        pump(header.client, state)
    }

    /// The board's tty went away: every waiting client gets an error reply at once, and
    /// anything owed by the board is forgotten (a reattached board starts afresh).
    func boardLost(reason: String) {
        eventLoop.preconditionInEventLoop()
        guard board != nil else { return }
        board = nil
        boardOutbound.clear()
        counters.boardLosses += 1
        metrics.boardLosses.increment()
        metrics.boardAttached.record(0)
        logger.warning("board lost", metadata: ["muxd.board": "\(name)", "muxd.reason": "\(reason)"])
        loginAtBoard = nil
        for (raw, state) in handles {
            if let flight = state.inFlight { fail(flight.request, state: state) }
            state.inFlight = nil
            state.needsFence = false
            pump(ClientHandle(rawValue: raw), state)
        }
    }

    /// A reply frame from the board, lent by its decoder; its client word is restored in
    /// place before it is encoded for the client.
    func reply(_ frame: UnsafeMutableRawBufferPointer) {
        eventLoop.preconditionInEventLoop()
        // A reply opens with the same two words as its request.
        guard let header = RequestHeader(peeking: UnsafeRawBufferPointer(frame)) else {
            noteStrayReply()
            logger.debug("short frame from the board dropped", metadata: ["muxd.board": "\(name)"])
            return
        }
        guard let state = handles[header.client.rawValue] else {
            noteStrayReply()
            return
        }
        if let flight = state.inFlight, flight.probes.contains(header.functionCode) {
            replyLost(header.client, state: state, flight: flight)
            return
        }
        guard let flight = state.inFlight, flight.request.functionCode == header.functionCode else {
            // A late answer to a request that already timed out (its client was told), or
            // something the board should not have sent: drop it.
            noteStrayReply()
            logger.debug("reply matching no request dropped", metadata: ["muxd.handle": "\(header.client)"])
            return
        }
        state.inFlight = nil
        if header.functionCode == Self.fenceFunctionCode {
            state.needsFence = false
        }
        let learns = flight.request.sink != nil && isolation != nil
            && HandleIsolation.learns(from: header.functionCode, note: flight.request.note)
        let endsLogin = header.functionCode == FunctionNumber.login.rawValue && loginAtBoard == header.client.rawValue
        if learns || endsLogin {
            // Judged like a client judges it: a damaged reply (a status no board sends, an
            // impossible layout) teaches nothing, and leaves a LOGIN's outcome unknown. It
            // still goes to its client, which judges it the same way.
            let status = FunctionNumber(rawValue: header.functionCode)?.rpcFunction.boardStatus(ofReply: Array(frame))
            if status == nil {
                counters.damagedReplies += 1
                logger.notice("damaged reply from the board: nothing learned from it", metadata: [
                    "muxd.board": "\(name)", "muxd.handle": "\(header.client)", "muxd.function": "\(header.functionCode)",
                ])
            }
            if learns, let status {
                isolation?.learn(reply: UnsafeRawBufferPointer(frame), status: status, note: flight.request.note, connection: header.client)
            }
            if endsLogin { loginFinished(header.client, status: status) }
        }
        if let sink = flight.request.sink {
            _ = RequestHeader.replaceClient(in: frame, with: flight.request.originalClient)
            sink.send(UnsafeRawBufferPointer(frame))
            counters.traffic.replies += 1
            counters.traffic.bytesOut += frame.count
            metrics.replies.increment()
            metrics.replyBytes.increment(by: frame.count)
            metrics.recordDuration((NIODeadline.now() - flight.sentAt).nanoseconds, of: flight.timeoutClass)
            state.counters.replies += 1
            state.counters.bytesOut += frame.count
        }
        pump(header.client, state)
    }

    /// A damaged frame from the board (bad escape, too long), dropped by the decoder.
    func noteDamagedReply() { noteStrayReply() }

    private func noteStrayReply() {
        counters.strayReplies += 1
        metrics.strayReplies.increment()
    }

    // MARK: Dispatch

    /// Sends the next request of `handle` if nothing of it is at the board.
    private func pump(_ handle: ClientHandle, _ state: HandleState) {
        while state.inFlight == nil, let next = state.waiting.first {
            guard board != nil else {
                state.waiting.removeFirst()
                fail(next.request, state: state)
                continue
            }
            if state.needsFence {
                let fence = RequestHeader(functionCode: Self.fenceFunctionCode, client: handle).encodedMessage
                fence.withUnsafeBytes {
                    send(Request(functionCode: Self.fenceFunctionCode, originalClient: handle, sink: nil), frame: $0, state: state)
                }
                break
            }
            if next.request.functionCode == FunctionNumber.login.rawValue, next.request.sink != nil, !admitLogin(handle) { break }
            state.waiting.removeFirst()
            next.frame.withUnsafeBytes { dispatch(next.request, frame: $0, state: state) }
        }
        if state.waiting.count < Self.maximumQueuedPerConnection / 2 { state.connection?.setReading(true) }
        if state.connection == nil, state.isIdle, handles[handle.rawValue] === state {
            handles[handle.rawValue] = nil
        }
    }

    /// Sends a client's request, unless it names a handle its connection does not hold: then
    /// the muxd answers it as the board answers an unknown handle (``HandleIsolation``). Judged
    /// here, when the connection's earlier requests are answered, so what it holds is current
    /// and its replies stay in order.
    private func dispatch(_ request: Request, frame: UnsafeRawBufferPointer, state: HandleState) {
        guard let isolation, let sink = request.sink else {
            send(request, frame: frame, state: state)
            return
        }
        let header = RequestHeader(functionCode: request.functionCode, client: request.originalClient)
        switch isolation.check(frame, header: header, connection: sink.handle) {
        case .forward(let note):
            var request = request
            request.note = note
            send(request, frame: frame, state: state)
        case .refuse(let reply, let reason):
            counters.isolationRefusals += 1
            state.counters.errors += 1
            metrics.isolationRefusals.increment()
            let function = FunctionNumber(rawValue: request.functionCode)?.name ?? "function \(request.functionCode)"
            logger.notice("request refused: it names what its connection does not hold", metadata: [
                "muxd.board": "\(name)", "muxd.handle": "\(sink.handle)", "muxd.function": "\(function)", "muxd.reason": "\(reason)",
            ])
            sink.send(reply)
        }
    }

    private func send(_ request: Request, frame: UnsafeRawBufferPointer, state: HandleState) {
        guard board != nil else { return }
        let timeoutClass = TimeoutPolicy.timeoutClass(for: request.functionCode)
        let limit = policy[timeoutClass]
        let now = NIODeadline.now()
        let deadline = now + .nanoseconds(limit.nanosecondsClamped)
        let nextProbe = now + .nanoseconds(Self.probeDelay.nanosecondsClamped)
        state.inFlight = InFlight(request: request, sentAt: now, deadline: deadline, limit: limit, timeoutClass: timeoutClass,
                                  nextProbe: nextProbe)
        boardOutbound.writeSLIPFrame(frame)
        scheduleBoardFlush()
        armDeadlineTimer(for: min(deadline, nextProbe))
    }

    /// Frames from all clients that arrive in one loop iteration leave in one tty write.
    private func scheduleBoardFlush() {
        guard !boardFlushScheduled else { return }
        boardFlushScheduled = true
        eventLoop.assumeIsolated().execute { [self] in
            boardFlushScheduled = false
            flushBoard()
        }
    }

    /// Writes the requests gathered so far to the board. Also called before a batch of
    /// replies is routed, so the board works on the next requests while the muxd writes
    /// the replies to their clients.
    func flushBoard() {
        guard let board, boardOutbound.readableBytes > 0 else { return }
        board.writeAndFlush(boardOutbound, promise: nil)
        // Reuses the storage once the tty has taken the bytes; a fresh one otherwise.
        boardOutbound.clear()
    }

    // MARK: LOGIN back-off

    /// Whether `handle`'s LOGIN may go to the board now: none other is there, the back-off
    /// after a wrong PIN is over, and no connection has waited longer. Otherwise it is held.
    private func admitLogin(_ handle: ClientHandle) -> Bool {
        guard !loginBackoff.isOff else { return true }
        let raw = handle.rawValue
        if loginAtBoard == nil, NIODeadline.now() >= loginNotBefore, loginsWaiting.first ?? raw == raw {
            loginAtBoard = raw
            loginsWaiting.removeAll { $0 == raw }
            return true
        }
        if !loginsWaiting.contains(raw) {
            loginsWaiting.append(raw)
            counters.loginsHeld += 1
            metrics.loginsHeld.increment()
        }
        if loginAtBoard == nil { armLoginTimer() }
        return false
    }

    /// The LOGIN at the board was answered (`status`), timed out or lost (`nil`): a wrong PIN
    /// starts or lengthens the back-off, a correct one ends it; the next held LOGIN goes when
    /// it may.
    private func loginFinished(_ handle: ClientHandle, status: HALError?) {
        loginAtBoard = nil
        if status == .pinIncorrect {
            wrongPINsInARow += 1
            counters.wrongPINs += 1
            metrics.wrongPINs.increment()
            let delay = loginBackoff.delay(afterFailures: wrongPINsInARow)
            loginNotBefore = NIODeadline.now() + .nanoseconds(delay.nanosecondsClamped)
            logger.notice("wrong PIN: further LOGINs to this board held back", metadata: [
                "muxd.board": "\(name)", "muxd.handle": "\(handle)", "muxd.wrong_pins_in_a_row": "\(wrongPINsInARow)",
                "muxd.backoff": "\(delay)",
            ])
        } else if status == .ok {
            wrongPINsInARow = 0
            loginNotBefore = .uptimeNanoseconds(0)
        }
        releaseLogin()
    }

    /// Lets the first held LOGIN go, now or when the back-off ends.
    private func releaseLogin() {
        guard loginAtBoard == nil else { return }
        while let first = loginsWaiting.first {
            guard let state = handles[first], state.connection != nil,
                  state.waiting.first?.request.functionCode == FunctionNumber.login.rawValue else {
                loginsWaiting.removeFirst()
                continue
            }
            guard NIODeadline.now() >= loginNotBefore else {
                armLoginTimer()
                return
            }
            pump(ClientHandle(rawValue: first), state)
            return
        }
    }

    private func armLoginTimer() {
        guard loginTimer == nil else { return }
        loginTimer = eventLoop.assumeIsolated().scheduleTask(deadline: loginNotBefore) { [self] in
            loginTimer = nil
            releaseLogin()
        }
    }

    // MARK: Timeouts

    private func armDeadlineTimer(for deadline: NIODeadline) {
        guard deadline < deadlineTimerAt else { return }
        deadlineTimer?.cancel()
        deadlineTimerAt = deadline
        // Strong: the router lives as long as its board's runtime, and a weak reference would
        // give it a side table that makes every retain of it slower.
        deadlineTimer = eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            expireOverdueRequests()
        }
    }

    /// Times out every request past its deadline, probes behind those due a probe, and arms
    /// the timer for the next of either.
    private func expireOverdueRequests() {
        deadlineTimer = nil
        deadlineTimerAt = .distantFuture
        let now = NIODeadline.now()
        var next = NIODeadline.distantFuture
        for (raw, state) in handles {
            guard var flight = state.inFlight else { continue }
            if flight.deadline <= now {
                timedOut(ClientHandle(rawValue: raw), state: state, flight: flight)
                continue
            }
            if flight.nextProbe <= now, board != nil {
                lastProbe &+= 1
                let code = Self.probePrefix | UInt32(lastProbe)
                _ = RequestHeader(functionCode: code, client: ClientHandle(rawValue: raw)).encodedMessage.withUnsafeBytes {
                    boardOutbound.writeSLIPFrame($0)
                }
                scheduleBoardFlush()
                flight.probes.append(code)
                let waited = Duration.nanoseconds((flight.nextProbe - flight.sentAt).nanoseconds)
                flight.nextProbe = flight.sentAt + .nanoseconds((waited * 2).nanosecondsClamped)
                state.inFlight = flight
            }
            next = min(next, flight.deadline, flight.nextProbe)
        }
        if next < .distantFuture { armDeadlineTimer(for: next) }
    }

    /// A probe behind `flight` was answered first: the board is done with the request and its
    /// reply was lost on the way. Its client is told now; nothing sent before the probe is
    /// owed any more, so the handle needs no fence.
    private func replyLost(_ handle: ClientHandle, state: HandleState, flight: InFlight) {
        state.inFlight = nil
        state.needsFence = false
        if loginAtBoard == handle.rawValue { loginFinished(handle, status: nil) }
        counters.traffic.lostReplies += 1
        state.counters.lostReplies += 1
        metrics.lostReplies.increment()
        let function = FunctionNumber(rawValue: flight.request.functionCode)?.name ?? "function \(flight.request.functionCode)"
        logger.notice("reply lost on the board's link: a probe sent after the request was answered first", metadata: [
            "muxd.board": "\(name)", "muxd.handle": "\(handle)", "muxd.function": "\(function)",
        ])
        fail(flight.request, state: state)
        pump(handle, state)
    }

    private func timedOut(_ handle: ClientHandle, state: HandleState, flight: InFlight) {
        state.inFlight = nil
        state.needsFence = true
        if loginAtBoard == handle.rawValue { loginFinished(handle, status: nil) }
        if flight.request.functionCode == Self.fenceFunctionCode {
            // Not even the fence was answered: the board is not working through requests.
            // Whoever waits behind it is told now rather than after their own timeouts.
            logger.warning("board answers nothing", metadata: ["muxd.board": "\(name)", "muxd.handle": "\(handle)"])
            while let waiting = state.waiting.popFirst() { fail(waiting.request, state: state) }
        } else {
            counters.traffic.timeouts += 1
            metrics.timeouts.increment()
            state.counters.timeouts += 1
            let function = FunctionNumber(rawValue: flight.request.functionCode)?.name ?? "function \(flight.request.functionCode)"
            logger.warning("board did not answer in time", metadata: [
                "muxd.board": "\(name)", "muxd.handle": "\(handle)", "muxd.function": "\(function)", "muxd.timeout": "\(flight.limit)",
            ])
            fail(flight.request, state: state)
        }
        pump(handle, state)
    }

    /// Answers `request`'s client (if it has one) with `HAL_ERROR_RPC_TRANSPORT`, the status
    /// the reference clients treat as a transport failure.
    private func fail(_ request: Request, state: HandleState) {
        guard let sink = request.sink else { return }
        counters.traffic.errors += 1
        state.counters.errors += 1
        metrics.errors.increment()
        sink.send(ReplyHeader.errorReply(functionCode: request.functionCode, client: request.originalClient, status: .rpcTransport))
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
