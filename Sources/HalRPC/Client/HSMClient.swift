import CryptechTransport
import Logging

/// An RPC client for one board (directly, or through the muxd), over any ``Connector``.
///
/// Calls from any number of tasks are queued and sent one at a time: the board (and the muxd,
/// per connection) serves one request per client at a time, so a reply carrying the function
/// number of the call in flight is that call's. The reply's client word is checked only when
/// `checksReplyClient` is set (a direct link); through the reference muxd it is the muxd's
/// connection handle and every client must ignore it (rpc-wire.md §3.3, §11.3). Frames that answer no
/// call are counted in ``statistics`` and dropped.
///
/// The link opens on the first call and again on the call after a transport error. A lost
/// link fails every pending call at once with ``HSMClientError/transport(_:)``.
///
/// Every call has a deadline (its function's ``RPCFunction/defaultTimeout`` unless the caller
/// gives one), counted from the call, queueing included. A call that times out (or is
/// cancelled) after its request went out is **never sent again**: a re-sent signature would
/// consume another one-time key. Its reply may still come, so before the next request the
/// client resynchronises: it sends a request with an unassigned function number
/// (``resynchronisationFunctionCode``), which every board answers with
/// `HAL_ERROR_RPC_BAD_FUNCTION` after everything sent before it (rpc-wire.md §3.2), and drops
/// whatever arrives until that answer. A late reply can therefore never reach a later call.
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

    /// The function number of the resynchronisation request: unassigned in libhal (ASCII
    /// "SYNC"), so the board answers it with status 30 and it can be told from any reply.
    public static let resynchronisationFunctionCode: UInt32 = 0x5359_4E43

    /// The default logger: discards everything (a library never configures logging).
    public static let silentLogger = Logger(label: "cryptech.halrpc", factory: { _ in SwiftLogNoOpLogHandler() })

    /// What the client talks to, for messages.
    public nonisolated let endpoint: String
    /// The client word every request carries.
    public nonisolated let clientHandle: ClientHandle
    private let connector: any Connector
    private let checksReplyClient: Bool
    private let logger: Logger

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

    private struct Call {
        let function: FunctionNumber
        let frame: [UInt8]
        let timeout: Duration
        let continuation: CheckedContinuation<[UInt8], any Error>
        var sent = false
        var timer: Task<Void, Never>?
    }

    private enum InFlight: Equatable {
        /// The request of this call is out.
        case call(UInt64)
        /// A resynchronisation request is out, on behalf of the call at the head of the queue.
        case resynchronisation(for: UInt64)
    }

    /// Creates a client; nothing is opened until the first call.
    /// - Parameters:
    ///   - connector: how to reach the board.
    ///   - client: the client word of every request. The board keys logins and volatile keys
    ///     on it; through the muxd it is replaced anyway.
    ///   - checksReplyClient: drop replies whose client word is not `client`. Only for direct
    ///     links: the reference muxd does not restore the word (cryptech-muxd does).
    ///   - logger: where to log; nothing is logged by default.
    public init(
        connector: any Connector,
        client: ClientHandle = .zero,
        checksReplyClient: Bool = false,
        logger: Logger = HSMClient.silentLogger
    ) {
        self.connector = connector
        self.endpoint = connector.endpoint
        self.clientHandle = client
        self.checksReplyClient = checksReplyClient
        var logger = logger
        logger[metadataKey: "rpc.endpoint"] = .string(connector.endpoint)
        self.logger = logger
    }

    deinit {
        reader?.cancel()
        if let link { Task { await link.close() } }
    }

    /// Performs one RPC: sends `request`, waits for the reply, decodes it strictly (pad bytes
    /// aside: ``XDRDecoder/Strictness/reply``).
    ///
    /// Encoding and decoding run on the caller's executor; only the matching of replies to
    /// calls runs on the actor.
    /// - Parameters:
    ///   - function: the function to call.
    ///   - request: its arguments.
    ///   - timeout: how long to wait, queueing included; the function's default when `nil`.
    /// - Returns: the results of an `HAL_OK` reply.
    /// - Throws: ``HSMClientError``, or `CancellationError` when the task is cancelled.
    public nonisolated func perform<F: RPCFunction>(_ function: F.Type, _ request: F.Request, timeout: Duration? = nil) async throws -> F.Reply {
        let frame = F.encodeRequest(request, client: clientHandle)
        guard frame.count <= RPCLimits.maximumMessage else {
            throw HSMClientError.requestTooLarge(function: F.number, size: frame.count)
        }
        let reply = try await exchange(function: F.number, frame: frame, timeout: timeout ?? F.defaultTimeout)
        let result: Result<F.Reply, HALError>
        do {
            result = try F.decodeReply(reply, for: request, client: checksReplyClient ? clientHandle : nil)
        } catch .malformed(let error) {
            logger.debug("malformed reply", metadata: ["rpc.function": "\(F.number)", "rpc.error": "\(error)"])
            throw HSMClientError.malformedReply(function: F.number, error)
        } catch .unknownStatus(let status) {
            logger.debug("damaged reply", metadata: ["rpc.function": "\(F.number)", "rpc.status": "\(status)"])
            throw HSMClientError.damagedReply(function: F.number, reason: "status \(status) is no HAL status")
        } catch {
            // Matching in `deliver` already checked the header.
            throw HSMClientError.unexpectedReply(function: F.number, reason: "\(error)")
        }
        switch result {
        case .success(let reply):
            return reply
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
    private func exchange(function: FunctionNumber, frame: [UInt8], timeout: Duration) async throws -> [UInt8] {
        lastCallID += 1
        let id = lastCallID
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[UInt8], any Error>) in
                guard !Task.isCancelled else {
                    continuation.resume(throwing: CancellationError())
                    return
                }
                var call = Call(function: function, frame: frame, timeout: timeout, continuation: continuation)
                call.timer = Task { [weak self] in
                    do { try await Task.sleep(for: timeout) } catch { return }
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

    /// Ends a call that will not get its reply (timeout, cancellation).
    private func abandon(_ id: UInt64, with error: any Error) {
        guard let call = calls.removeValue(forKey: id) else { return }
        call.timer?.cancel()
        queue.removeAll { $0 == id }
        if inFlight == .call(id) {
            // Its reply may still come: never let it answer a later call.
            inFlight = nil
            needsResynchronisation = true
        } else if inFlight == .resynchronisation(for: id) {
            // The next call sends a new one; any resynchronisation reply settles it.
            inFlight = nil
        }
        call.continuation.resume(throwing: error)
        startPump()
    }

    private func complete(_ id: UInt64, with frame: [UInt8]) {
        guard let call = calls.removeValue(forKey: id) else { return }
        call.timer?.cancel()
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
            if needsResynchronisation {
                inFlight = .resynchronisation(for: id)
                frame = RPCFrames.resynchronisation(client: clientHandle)
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
        let isResynchronisation = header.functionCode == Self.resynchronisationFunctionCode
        switch inFlight {
        case .resynchronisation?:
            if isResynchronisation {
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
            } else if isResynchronisation {
                statistics.lateReplies += 1
            } else {
                stray(frame, "does not answer \(call.function)")
            }
        case nil:
            if isResynchronisation { statistics.lateReplies += 1 } else { stray(frame, "no call in flight") }
        }
    }

    private func stray(_ frame: [UInt8], _ reason: String) {
        statistics.strayFrames += 1
        logger.debug("stray frame dropped", metadata: ["rpc.bytes": "\(frame.count)", "rpc.reason": "\(reason)"])
    }
}
