import CryptechTransport
import Logging

/// An RPC client for one board (directly, or through the muxd), over any `Connector`.
///
/// Calls from any number of tasks are queued and sent one at a time: the board (and the muxd,
/// per connection) serves one request per client at a time, so a reply carrying the function
/// number of the call in flight is that call's. The reply's client word is checked only when
/// `checksReplyClient` is set (a direct link); through the reference muxd it is the muxd's
/// connection handle and every client must ignore it (docs/wire-protocol.md §3.3, §11.3). Frames that answer no
/// call are counted in ``statistics`` and dropped.
///
/// The link opens on the first call and again on the call after a transport error. A lost
/// link fails every pending call at once with ``HSMClientError/transport(_:)``.
///
/// Every call has a deadline, counted from the call, queueing included: the caller's
/// `timeout:`, else the client's, else derived from the work the request asks for and what
/// this board has been measured to take (``RPCDeadline``, ``BoardPace``). An observer hears
/// of every wait (``WaitEvent``).
///
/// A call whose reply is lost or damaged is sent again only when its function is safe to
/// repeat (``FunctionNumber/isSafeToRepeat``), at most `retries` times. Anything else that
/// timed out (or was cancelled) after its request went out is **never sent again**: a
/// re-sent signature would consume another one-time key. Its reply may still come, so before
/// the next request the client resynchronises: it sends a request with an unassigned
/// function number (a *sync*, ``isSynchronisation(_:)``), which every board answers with
/// `HAL_ERROR_RPC_BAD_FUNCTION` echoing that number after everything sent before it
/// (docs/wire-protocol.md §3.2), and drops whatever arrives until that answer. A late reply can
/// therefore never reach a later call.
///
/// The lost-reply probe (`probesLostReplies`, for direct links): a board with the stock
/// single RPC dispatch task serves requests strictly in arrival order (docs/waits.md), so
/// when a call has waited ``probeDelay`` the client sends a sync behind it. Answered while the
/// call is not, the board has finished the call and its reply was lost: the call ends at
/// once with ``HSMClientError/replyLost(function:reason:)`` instead of waiting out its
/// deadline. Not answered, the board is still busy — or the probe's own answer was lost, so
/// another follows after twice the wait (`probeSchedule(after:)`): few enough that a long key
/// generation queues a dozen, not thousands, on a board that buffers every request.
///
/// A board error to a read (``FunctionNumber/isSafeToRepeat``) is asked again before it is
/// believed: a flipped bit can turn one error status into another (the protocol has no
/// checksum), but not twice the same way. Two answers that agree are the board's; answers
/// that keep disagreeing are a damaged reply. Through the muxd a connection's
/// requests wait behind each other there, so the probe would prove nothing; the muxd
/// answers a request whose reply it did not get with `HAL_ERROR_RPC_TRANSPORT`, reported as
/// a lost reply too.
///
/// Logging: function names, sizes and statuses at debug and trace level, a lost link at info;
/// never PINs, keys or payload bytes.
public actor HSMClient {
    /// Counts of received frames that answered no call.
    public struct Statistics: Hashable, Sendable {
        /// Frames without a complete reply header, or whose function number (or, when checked,
        /// client word) does not match the call in flight.
        public var strayFrames = 0
        /// Replies dropped while resynchronising after an abandoned call.
        public var lateReplies = 0
        /// Calls that timed out.
        public var timeouts = 0
    }

    /// The high half of every sync's function number (ASCII "SY"): unassigned in libhal, so
    /// the board answers it with status 30, echoing the number. The low half counts, so each
    /// answer names the sync it answers.
    static let synchronisationPrefix: UInt32 = 0x5359_0000

    /// Whether `functionCode` is one of the client's syncs (resynchronisation or probe).
    public static func isSynchronisation(_ functionCode: UInt32) -> Bool {
        functionCode & 0xFFFF_0000 == synchronisationPrefix
    }

    /// How long a call on a direct link waits before the first lost-reply probe goes out.
    /// Early is cheap: on a board that serves requests in order a probe can only be answered
    /// after the call, so it never ends a slow call early, and it costs one small frame.
    public static let probeDelay = Duration.milliseconds(500)

    /// When the probes behind a call go out, counted from the request: ``probeDelay``, then
    /// each wait twice the one before.
    static func probeSchedule(after probes: Int) -> Duration {
        probeDelay * (1 << min(probes, 20))
    }

    /// The default logger: discards everything (a library never configures logging).
    public static let silentLogger = Logger(label: "cryptech.halrpc", factory: { _ in SwiftLogNoOpLogHandler() })

    /// What the client talks to, for messages.
    public nonisolated let endpoint: String
    /// The client word every request carries.
    public nonisolated let clientHandle: ClientHandle
    private let connector: any Connector
    private let checksReplyClient: Bool
    private let probesLostReplies: Bool
    private let callTimeout: Duration?
    private let retries: Int
    private let observer: (@Sendable (WaitEvent) -> Void)?
    private let logger: Logger

    /// What this board has been measured to take.
    public private(set) var pace = BoardPace()

    /// Counters of frames that answered no call.
    public private(set) var statistics = Statistics()

    private var link: (any FrameLink)?
    /// Bumped whenever a link opens or is dropped, so stale reader events are ignored.
    private var linkGeneration = 0
    private var reader: Task<Void, Never>?
    private var calls: [UInt64: Call] = [:]
    /// Calls not yet sent, oldest first.
    private var queue: [UInt64] = []
    private var inFlight: InFlight?
    /// A request went out whose reply was not received: resynchronise before the next one.
    private var needsResynchronisation = false
    private var pumpRunning = false
    private var lastCallID: UInt64 = 0
    /// The low half of the last sync's function number.
    /// Starts anywhere: answers to syncs that an earlier client on the same tty sent (a process
    /// that exited with a probe outstanding) can still arrive, and must not name this client's.
    private var lastSync = UInt16.random(in: .min ... .max)

    private struct Call {
        let function: FunctionNumber
        let frame: [UInt8]
        let timeout: Duration
        /// What a reference Alpha is expected to take, for ``BoardPace``.
        let expected: Duration
        let continuation: CheckedContinuation<[UInt8], any Error>
        var sent = false
        var sentAt: ContinuousClock.Instant?
        /// The function numbers of the lost-reply probes sent behind this call.
        var probes: [UInt32] = []
        var timer: Task<Void, Never>?
        var probeTimer: Task<Void, Never>?
    }

    private enum InFlight: Equatable {
        /// The request of this call is out.
        case call(UInt64)
        /// A resynchronisation request with this function number is out, on behalf of the
        /// call at the head of the queue.
        case resynchronisation(for: UInt64, code: UInt32)
    }

    /// Creates a client; nothing is opened until the first call.
    /// - Parameters:
    ///   - connector: how to reach the board.
    ///   - client: the client word of every request. The board keys logins and volatile keys
    ///     on it; through the muxd it is replaced anyway.
    ///   - checksReplyClient: drop replies whose client word is not `client`. Only for direct
    ///     links: the reference muxd does not restore the word (cryptech-muxd does).
    ///   - probesLostReplies: send the lost-reply probe behind a call that waits longer than
    ///     ``probeDelay``. Only for direct links to a board with one RPC dispatch task.
    ///   - timeout: the deadline of every call that does not give its own, instead of the
    ///     derived one.
    ///   - retries: how many times a call that is safe to repeat is sent again after a lost
    ///     or damaged reply.
    ///   - observer: hears when a reply is awaited and when the wait ends; called on the
    ///     client's executor, so it must return quickly.
    ///   - logger: where to log; nothing is logged by default.
    public init(
        connector: any Connector,
        client: ClientHandle = .zero,
        checksReplyClient: Bool = false,
        probesLostReplies: Bool = false,
        timeout: Duration? = nil,
        retries: Int = 2,
        observer: (@Sendable (WaitEvent) -> Void)? = nil,
        logger: Logger = HSMClient.silentLogger
    ) {
        self.connector = connector
        self.endpoint = connector.endpoint
        self.clientHandle = client
        self.checksReplyClient = checksReplyClient
        self.probesLostReplies = probesLostReplies
        self.callTimeout = timeout
        self.retries = max(0, retries)
        self.observer = observer
        var logger = logger
        logger[metadataKey: "rpc.endpoint"] = .string(connector.endpoint)
        self.logger = logger
    }

    deinit {
        reader?.cancel()
        if let link { Task { await link.close() } }
    }

    /// Performs one RPC: sends `request`, waits for the reply, decodes it strictly (pad bytes
    /// aside: ``XDRDecoder/Strictness/reply``). A lost or damaged reply to a function that is
    /// safe to repeat sends the request again, up to `retries` times.
    ///
    /// Encoding and decoding run on the caller's executor; only the matching of replies to
    /// calls runs on the actor.
    /// - Parameters:
    ///   - function: the function to call.
    ///   - request: its arguments.
    ///   - timeout: how long to wait for each attempt, queueing included; the client's
    ///     timeout, else the derived deadline (``RPCDeadline``), when `nil`.
    /// - Returns: the results of an `HAL_OK` reply.
    /// - Throws: ``HSMClientError``, or `CancellationError` when the task is cancelled.
    public nonisolated func perform<F: RPCFunction>(_ function: F.Type, _ request: F.Request, timeout: Duration? = nil) async throws -> F.Reply {
        let frame = F.encodeRequest(request, client: clientHandle)
        guard frame.count <= RPCLimits.maximumMessage else {
            throw HSMClientError.requestTooLarge(function: F.number, size: frame.count)
        }
        let expected = F.expectedWork(for: request)
        var attempt = 1
        /// A board error to a read, not yet confirmed by a second answer.
        var unconfirmed: HALError?
        while true {
            do {
                return try await attemptCall(F.self, request, frame: frame, timeout: timeout, expected: expected, attempt: attempt)
            } catch let error as HSMClientError where error.isLostOrDamagedReply && F.number.isSafeToRepeat && attempt <= retries {
                logger.debug("repeating", metadata: ["rpc.function": "\(F.number)", "rpc.attempt": "\(attempt + 1)", "rpc.error": "\(error)"])
                attempt += 1
            } catch HSMClientError.device(let status) where F.number.isSafeToRepeat {
                if status == unconfirmed { throw HSMClientError.device(status) }
                guard attempt <= retries + 1 else {
                    throw HSMClientError.damagedReply(function: F.number, reason: "the board's answers to the same read disagree (\(unconfirmed.map { "\($0)" } ?? "none") and \(status))")
                }
                logger.debug("confirming a board error", metadata: ["rpc.function": "\(F.number)", "rpc.status": "\(status.rawValue)"])
                unconfirmed = status
                attempt += 1
            }
        }
    }

    /// One request and its reply, judged: the board's answer, or why the frame cannot be one.
    private nonisolated func attemptCall<F: RPCFunction>(
        _ function: F.Type, _ request: F.Request, frame: [UInt8], timeout: Duration?, expected: Duration, attempt: Int
    ) async throws -> F.Reply {
        let reply = try await exchange(function: F.number, frame: frame, timeout: timeout, expected: expected, attempt: attempt)
        let result: Result<F.Reply, HALError>
        do {
            result = try F.decodeReply(reply, for: request, client: checksReplyClient ? clientHandle : nil)
        } catch .malformed(let error) {
            // A length beyond the frame, missing or trailing bytes: no board sends that.
            logger.debug("damaged reply", metadata: ["rpc.function": "\(F.number)", "rpc.error": "\(error)"])
            throw HSMClientError.damagedReply(function: F.number, reason: "\(error)")
        } catch .unknownStatus(let status) {
            logger.debug("damaged reply", metadata: ["rpc.function": "\(F.number)", "rpc.status": "\(status)"])
            throw HSMClientError.damagedReply(function: F.number, reason: "status \(status) is no HAL status")
        } catch .impossible(let reason) {
            logger.debug("damaged reply", metadata: ["rpc.function": "\(F.number)", "rpc.reason": "\(reason)"])
            throw HSMClientError.damagedReply(function: F.number, reason: reason)
        } catch {
            // Matching in `deliver` already checked the header.
            throw HSMClientError.unexpectedReply(function: F.number, reason: "\(error)")
        }
        switch result {
        case .success(let reply):
            return reply
        case .failure(.rpcTransport):
            // No board sends it: a muxd (ours or the reference) answers it for a request the
            // board did not answer in time, or could not be given (docs/wire-protocol.md §11).
            logger.debug("relay got no reply", metadata: ["rpc.function": "\(F.number)"])
            throw HSMClientError.replyLost(function: F.number, reason: "the muxd got no reply from the board (HAL_ERROR_RPC_TRANSPORT)")
        case .failure(let status):
            logger.debug("device error", metadata: ["rpc.function": "\(F.number)", "rpc.status": "\(status.rawValue)"])
            throw HSMClientError.device(status)
        }
    }

    /// Closes the link now. Pending calls fail with a `closed` transport error; a later call
    /// opens a new link.
    public func close() async {
        let link = self.link
        dropLink()
        failAll(with: HSMClientError.transport(TransportError(.closed, endpoint: endpoint, "client closed the link")))
        await link?.close()
    }

    // MARK: - Calls

    /// Queues `frame` and waits for the frame that answers it.
    private func exchange(function: FunctionNumber, frame: [UInt8], timeout: Duration?, expected: Duration, attempt: Int) async throws -> [UInt8] {
        lastCallID += 1
        let id = lastCallID
        let deadline = timeout ?? callTimeout ?? pace.deadline(function, expected: expected)
        observer?(.began(call: id, function: function, deadline: deadline, attempt: attempt))
        defer { observer?(.ended(call: id)) }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[UInt8], any Error>) in
                guard !Task.isCancelled else {
                    continuation.resume(throwing: CancellationError())
                    return
                }
                var call = Call(function: function, frame: frame, timeout: deadline, expected: expected, continuation: continuation)
                call.timer = Task { [weak self] in
                    do { try await Task.sleep(for: deadline) } catch { return }
                    await self?.expire(id)
                }
                calls[id] = call
                queue.append(id)
                startPump()
            }
        } onCancel: {
            Task { await self.abandon(id, with: CancellationError()) }
        }
    }

    private func expire(_ id: UInt64) {
        guard let call = calls[id] else { return }
        statistics.timeouts += 1
        logger.debug("timeout", metadata: ["rpc.function": "\(call.function)", "rpc.sent": "\(call.sent)"])
        abandon(id, with: HSMClientError.timeout(function: call.function, after: call.timeout, requestSent: call.sent))
    }

    /// The next sync's function number.
    private func nextSync() -> UInt32 {
        lastSync &+= 1
        return Self.synchronisationPrefix | UInt32(lastSync)
    }

    /// Sends a lost-reply probe behind call `id` if it is still the one in flight.
    /// - Returns: whether it is, so the schedule goes on.
    private func probe(_ id: UInt64) async -> Bool {
        guard inFlight == .call(id), let call = calls[id], let link else { return false }
        let code = nextSync()
        calls[id]?.probes.append(code)
        logger.debug("probing for a lost reply", metadata: ["rpc.function": "\(call.function)"])
        let generation = linkGeneration
        do {
            try await link.send(RPCFrames.synchronisation(code, client: clientHandle))
        } catch {
            await linkEnded(generation: generation, error: error)
            return false
        }
        return true
    }

    /// Ends a call that will not get its reply (timeout, cancellation).
    private func abandon(_ id: UInt64, with error: any Error) {
        guard let call = calls.removeValue(forKey: id) else { return }
        call.timer?.cancel()
        call.probeTimer?.cancel()
        queue.removeAll { $0 == id }
        if inFlight == .call(id) {
            // Its reply may still come: never let it answer a later call.
            inFlight = nil
            needsResynchronisation = true
        } else if case .resynchronisation(for: id, _)? = inFlight {
            // The next call sends a new one, and only its answer settles it.
            inFlight = nil
        }
        call.continuation.resume(throwing: error)
        startPump()
    }

    /// The probe behind call `id` was answered before the call: the board is done with it and
    /// its reply was lost. Nothing sent before the probe is owed any more, so the link is in
    /// step and needs no resynchronisation.
    private func replyLost(_ id: UInt64) {
        guard let call = calls.removeValue(forKey: id) else { return }
        call.timer?.cancel()
        call.probeTimer?.cancel()
        inFlight = nil
        logger.debug("reply lost", metadata: ["rpc.function": "\(call.function)"])
        call.continuation.resume(throwing: HSMClientError.replyLost(
            function: call.function, reason: "the board answered a request sent after it first"))
        startPump()
    }

    private func complete(_ id: UInt64, with frame: [UInt8]) {
        guard let call = calls.removeValue(forKey: id) else { return }
        call.timer?.cancel()
        call.probeTimer?.cancel()
        if let sentAt = call.sentAt, ReplyHeader(peeking: frame)?.status == .ok {
            pace.record(call.function, expected: call.expected, took: ContinuousClock.now - sentAt)
        }
        call.continuation.resume(returning: frame)
    }

    /// Fails every pending call, sent or queued.
    private func failAll(with error: any Error) {
        if case .call(let id)? = inFlight, calls[id]?.sent == true { needsResynchronisation = true }
        inFlight = nil
        queue.removeAll()
        let pending = calls
        calls.removeAll()
        for call in pending.values {
            call.timer?.cancel()
            call.probeTimer?.cancel()
            call.continuation.resume(throwing: error)
        }
    }

    // MARK: - Sending

    private func startPump() {
        guard !pumpRunning, inFlight == nil, !queue.isEmpty else { return }
        pumpRunning = true
        Task { await pump() }
    }

    /// Sends queued requests, one at a time, until one is in flight or none is left.
    private func pump() async {
        defer { pumpRunning = false }
        while inFlight == nil, let id = queue.first {
            let link: any FrameLink
            let generationBefore = linkGeneration
            do {
                link = try await openedLink()
            } catch {
                // `close()` during the open already failed the calls it found; serve the rest.
                if linkGeneration != generationBefore { continue }
                failAll(with: HSMClientError.transport(error))
                return
            }
            // The call may have expired, or another event taken the slot, while opening.
            guard inFlight == nil, queue.first == id, let call = calls[id] else { continue }
            let generation = linkGeneration
            let frame: [UInt8]
            let isCall = !needsResynchronisation
            if needsResynchronisation {
                let code = nextSync()
                inFlight = .resynchronisation(for: id, code: code)
                frame = RPCFrames.synchronisation(code, client: clientHandle)
                logger.debug("resynchronising", metadata: ["rpc.function": "\(call.function)"])
            } else {
                queue.removeFirst()
                inFlight = .call(id)
                calls[id]?.sent = true
                frame = call.frame
                logger.trace("request", metadata: ["rpc.function": "\(call.function)", "rpc.bytes": "\(frame.count)"])
            }
            do {
                try await link.send(frame)
            } catch {
                await linkEnded(generation: generation, error: error)
                continue
            }
            if isCall, calls[id] != nil {
                calls[id]?.sentAt = .now
                if probesLostReplies {
                    // Only once the request is on its way, so the probes follow it.
                    calls[id]?.probeTimer = Task { [weak self] in
                        var waited = Duration.zero
                        for sent in 0... {
                            let next = Self.probeSchedule(after: sent)
                            do { try await Task.sleep(for: next - waited) } catch { return }
                            waited = next
                            guard let self, await self.probe(id) else { return }
                        }
                    }
                }
            }
        }
    }

    // MARK: - The link

    private func openedLink() async throws(TransportError) -> any FrameLink {
        if let link { return link }
        let generation = linkGeneration
        let fresh: any FrameLink
        do {
            fresh = try await connector.open()
        } catch let error as TransportError {
            throw error
        } catch {
            throw TransportError(.io, endpoint: endpoint, "cannot open: \(error)")
        }
        guard generation == linkGeneration, link == nil else {
            // `close()` ran while this was opening.
            await fresh.close()
            throw TransportError(.closed, endpoint: endpoint, "client closed the link")
        }
        linkGeneration += 1
        link = fresh
        startReader(fresh, generation: linkGeneration)
        logger.debug("link opened")
        return fresh
    }

    private func startReader(_ link: any FrameLink, generation: Int) {
        reader = Task { [weak self] in
            while true {
                let frame: [UInt8]
                do {
                    frame = try await link.receive(timeout: nil)
                } catch {
                    await self?.linkEnded(generation: generation, error: error)
                    return
                }
                guard let self else { return }
                await self.deliver(frame, generation: generation)
            }
        }
    }

    private func dropLink() {
        link = nil
        linkGeneration += 1
        reader?.cancel()
        reader = nil
    }

    /// The link `generation` failed: drop it and fail every pending call at once.
    private func linkEnded(generation: Int, error: any Error) async {
        guard generation == linkGeneration, let link else { return }
        dropLink()
        let transport = error as? TransportError ?? TransportError(.lost, endpoint: endpoint, "\(error)")
        logger.info("link ended", metadata: ["rpc.error": "\(transport)"])
        failAll(with: HSMClientError.transport(transport))
        await link.close()
    }

    // MARK: - Receiving

    private func deliver(_ frame: [UInt8], generation: Int) {
        guard generation == linkGeneration else { return }
        guard let header = ReplyHeader(peeking: frame) else {
            return stray(frame, "no reply header")
        }
        let isSync = Self.isSynchronisation(header.functionCode)
        switch inFlight {
        case .resynchronisation(_, let code)?:
            if header.functionCode == code {
                // Everything sent before it has been answered (or never will be).
                inFlight = nil
                needsResynchronisation = false
                startPump()
            } else {
                statistics.lateReplies += 1
            }
        case .call(let id)?:
            guard let call = calls[id] else { return stray(frame, "no call") }
            if header.functionCode == call.function.rawValue, !checksReplyClient || header.client == clientHandle {
                inFlight = nil
                complete(id, with: frame)
                startPump()
            } else if isSync, call.probes.contains(header.functionCode) {
                replyLost(id)
            } else if isSync {
                statistics.lateReplies += 1
            } else {
                stray(frame, "does not answer \(call.function)")
            }
        case nil:
            if isSync { statistics.lateReplies += 1 } else { stray(frame, "no call in flight") }
        }
    }

    private func stray(_ frame: [UInt8], _ reason: String) {
        statistics.strayFrames += 1
        logger.debug("stray frame dropped", metadata: ["rpc.bytes": "\(frame.count)", "rpc.reason": "\(reason)"])
    }
}
