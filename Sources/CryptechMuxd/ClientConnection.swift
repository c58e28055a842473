import CryptechTransport
import DequeModule
import HalRPC
import Logging
import NIOCore

/// One client's connection to the RPC socket: decodes its requests, hands them to the
/// router, writes the replies, and keeps what the muxd holds for it bounded. Lives on its
/// board's event loop; the router holds it strongly while any of its requests is pending.
///
/// Every frame gets an answer or ends the connection, never silence (docs/wire-protocol.md §13 items
/// 6 and 9: the board and the reference muxd drop short and damaged frames, and a client
/// without a timeout of its own waits forever):
/// - a frame shorter than a request header (8 bytes) cannot be answered, having no function
///   or client word: the connection is closed with a log line;
/// - a damaged frame — longer than 16 KiB unescaped, or with a bad escape byte — is answered
///   by the muxd itself when its first 8 bytes were read: function and client word as sent,
///   status ``HALError/rpcPacketOverflow`` (29, "does not fit a packet", as the board says of
///   oversized requests) or ``HALError/rpcProtocolError`` (44, the message broke the
///   protocol); when they were not, the connection is closed with a log line.
///
/// Those answers keep the connection's order: one goes out after the replies to every
/// request the connection sent before the damaged frame. This relies on the router answering
/// every request it is given exactly once (a board reply, a muxd error, a refusal).
///
/// Back-pressure, so a client cannot make the muxd hold without limit what it does not take:
/// requests are taken only while the router's queue for the connection has room
/// (``setReading(_:)``), the client reads its replies (the channel stays writable under
/// ``writeBufferWaterMark``), and fewer than ``maximumAnswersWaiting`` of the muxd's own
/// answers wait. Otherwise the muxd stops reading the socket and stops decoding
/// mid-read; bytes already read wait undecoded. What it holds for a connection is then at
/// most the write buffer's high mark plus the replies to the requests already queued, and
/// the bytes of one read cycle (``ClientFlowCounters`` shows both).
final class ClientConnection {
    /// Replies waiting for a client past `high` bytes stop the muxd reading its requests;
    /// below `low` it reads again. Two maximal replies fit, so a client that reads keeps
    /// going without a stall.
    static let writeBufferWaterMark = ChannelOptions.Types.WriteBufferWaterMark(low: 32 * 1024, high: 64 * 1024)

    /// Answers to damaged frames that may wait behind replies owed before requests stop
    /// being taken: a client that sends nothing but bad frames behind a slow request must
    /// not grow this queue either.
    static let maximumAnswersWaiting = 64

    private let context: ChannelHandlerContext
    private let router: BoardRouter
    private let logger: Logger
    private(set) var handle = ClientHandle.zero
    private var decoder = SLIPDecoder()
    /// The frame being sent. Once the socket has taken the previous one this storage is ours
    /// alone again and is reused; while a write is still pending, clearing it starts afresh.
    private var outbound: ByteBuffer

    /// The router's queue for this connection has room.
    private var routerTakesRequests = true
    /// The client reads its replies: the channel is writable.
    private var clientTakesReplies = true
    /// The socket is being read (NIO's auto-read).
    private var socketReading = true
    /// Bytes read while requests were not taken, decoded when they are again.
    private var held: ByteBuffer?
    private var resumeScheduled = false
    private var closing = false

    /// Requests handed to the router, and replies the router has sent back, so far.
    private var requestsRouted = 0
    private var repliesRouted = 0
    /// The muxd's own answers to damaged frames, each to go once `repliesRouted` reaches
    /// `after` (the replies owed for the requests before it).
    private var ownAnswers = Deque<(after: Int, message: [UInt8])>()
    private var counters = ClientFlowCounters()

    init(context: ChannelHandlerContext, router: BoardRouter, logger: Logger) {
        self.context = context
        self.router = router
        self.logger = logger
        outbound = context.channel.allocator.buffer(capacity: 256)
    }

    private var channel: any Channel { context.channel }

    fileprivate func assign(_ handle: ClientHandle) { self.handle = handle }

    private var takesRequests: Bool {
        routerTakesRequests && clientTakesReplies && ownAnswers.count < Self.maximumAnswersWaiting && !closing
    }

    /// This connection's back-pressure counters, with what the muxd holds for it now.
    var flow: ClientFlowCounters {
        var snapshot = counters
        snapshot.unreadReplyBytes = (try? channel.syncOptions?.getOption(ChannelOptions.bufferedWritableBytes)) ?? 0
        snapshot.heldRequestBytes = held?.readableBytes ?? 0
        snapshot.answersWaiting = ownAnswers.count
        return snapshot
    }

    // MARK: Replies

    /// Sends one reply the router has for this connection, as a SLIP frame.
    func send(_ message: UnsafeRawBufferPointer) {
        write(message)
        repliesRouted += 1
        guard let first = ownAnswers.first, first.after <= repliesRouted else { return }
        let wasFull = ownAnswers.count >= Self.maximumAnswersWaiting
        while let first = ownAnswers.first, first.after <= repliesRouted {
            ownAnswers.removeFirst()
            first.message.withUnsafeBytes { write($0) }
        }
        if wasFull { flowChanged() }
    }

    func send(_ message: [UInt8]) {
        message.withUnsafeBytes { send($0) }
    }

    /// Sends an answer of the muxd's own, behind the replies owed for earlier requests.
    private func answer(_ message: [UInt8]) {
        if repliesRouted == requestsRouted, ownAnswers.isEmpty {
            message.withUnsafeBytes { write($0) }
        } else {
            ownAnswers.append((requestsRouted, message))
            if ownAnswers.count == Self.maximumAnswersWaiting { flowChanged() }
        }
    }

    private func write(_ message: UnsafeRawBufferPointer) {
        outbound.clear()
        outbound.writeSLIPFrame(message)
        context.writeAndFlush(NIOAny(outbound), promise: nil)
        if !clientTakesReplies { notePeaks() }
    }

    // MARK: Requests

    /// Bytes from the socket: decoded now, or held while requests are not taken (after bytes
    /// already held, so order is kept).
    func received(_ bytes: ByteBuffer) {
        guard !closing else { return }
        if held != nil || !takesRequests {
            hold(bytes)
        } else {
            decode(bytes)
        }
    }

    /// Decodes `bytes` until they are used up or requests stop being taken; the rest is held.
    private func decode(_ bytes: ByteBuffer) {
        let consumed = bytes.withUnsafeReadableBytes { raw in
            decoder.decode(raw, frame: { frame in
                route(frame)
                return takesRequests
            }, damaged: { error, prefix in
                answerDamaged(error, prefix: prefix)
                return takesRequests
            })
        }
        if consumed < bytes.readableBytes, !closing {
            hold(bytes.getSlice(at: bytes.readerIndex + consumed, length: bytes.readableBytes - consumed)!)
        }
    }

    private func hold(_ bytes: ByteBuffer) {
        if held == nil {
            held = bytes
        } else {
            held!.writeImmutableBuffer(bytes)
        }
        counters.peakHeldRequestBytes = max(counters.peakHeldRequestBytes, held!.readableBytes)
    }

    private func route(_ frame: UnsafeMutableRawBufferPointer) {
        guard frame.count >= RequestHeader.size else {
            // Too short for a function number and client word: nothing to answer with, and
            // the board would not answer it either (docs/wire-protocol.md §3.2).
            router.noteDroppedRequest()
            close(because: "sent a frame shorter than a request header", frameLength: frame.count)
            return
        }
        requestsRouted += 1
        router.request(frame, from: self)
    }

    private func answerDamaged(_ error: SLIPError, prefix: UnsafeRawBufferPointer) {
        router.noteDroppedRequest()
        let fault = error.logName
        guard let header = RequestHeader(peeking: prefix) else {
            close(because: "sent a damaged frame (\(fault)) before its request header", frameLength: prefix.count)
            return
        }
        let status: HALError = if case .frameTooLong = error { .rpcPacketOverflow } else { .rpcProtocolError }
        counters.damagedFramesAnswered += 1
        router.metrics.damagedFramesAnswered.increment()
        logger.info("damaged frame from client answered with an error", metadata: [
            "muxd.handle": "\(handle)", "muxd.function": "\(FunctionNumber(rawValue: header.functionCode)?.name ?? "function \(header.functionCode)")",
            "muxd.fault": "\(fault)", "muxd.status": "\(status.rawValue)",
        ])
        answer(ReplyHeader.errorReply(functionCode: header.functionCode, client: header.client, status: status))
    }

    /// Ends a connection whose client broke the framing beyond an answer.
    private func close(because reason: String, frameLength: Int) {
        guard !closing else { return }
        closing = true
        logger.notice("client connection closed: \(reason)", metadata: [
            "muxd.handle": "\(handle)", "muxd.frame_bytes": "\(frameLength)",
        ])
        context.close(promise: nil)
    }

    // MARK: Back-pressure

    /// Stops or resumes taking requests because of the router's queue for this connection.
    func setReading(_ on: Bool) {
        guard on != routerTakesRequests else { return }
        routerTakesRequests = on
        flowChanged()
    }

    /// The channel's writability changed: the client stopped or resumed reading its replies.
    func writabilityChanged() {
        let writable = channel.isWritable
        guard writable != clientTakesReplies else { return }
        clientTakesReplies = writable
        if !writable {
            counters.readStalls += 1
            router.metrics.clientReadStalls.increment()
            notePeaks()
            logger.debug("client does not read its replies: its requests wait", metadata: ["muxd.handle": "\(handle)"])
        }
        flowChanged()
    }

    private func flowChanged() {
        if takesRequests {
            // Later, not inside the router's call that allowed it: the held requests go to
            // the router, which must not be re-entered.
            guard !resumeScheduled else { return }
            resumeScheduled = true
            context.eventLoop.assumeIsolated().execute { [self] in resume() }
        } else if socketReading {
            socketReading = false
            setAutoRead(false)
        }
    }

    private func resume() {
        resumeScheduled = false
        guard takesRequests else { return }
        if let pending = held {
            held = nil
            decode(pending)
            guard held == nil, takesRequests else { return }
        }
        if !socketReading {
            socketReading = true
            setAutoRead(true)
        }
    }

    private func setAutoRead(_ on: Bool) {
        // Setting it on also asks for the next read.
        channel.setOption(ChannelOptions.autoRead, value: on).whenComplete { _ in }
    }

    private func notePeaks() {
        let unread = (try? channel.syncOptions?.getOption(ChannelOptions.bufferedWritableBytes)) ?? 0
        counters.peakUnreadReplyBytes = max(counters.peakUnreadReplyBytes, unread)
    }
}

extension SLIPError {
    /// The fault without any byte of the frame, for logs above debug.
    fileprivate var logName: String {
        switch self {
        case .frameTooLong(let limit): "longer than \(limit) bytes"
        case .invalidEscape: "invalid escape"
        case .truncated: "truncated"
        }
    }
}

/// A client connection's only handler: passes the socket's bytes, writability and end to
/// its ``ClientConnection``.
final class ClientConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let router: BoardRouter
    private let logger: Logger
    private var connection: ClientConnection?

    init(router: BoardRouter, logger: Logger) {
        self.router = router
        self.logger = logger
    }

    func channelActive(context: ChannelHandlerContext) {
        _ = try? context.channel.syncOptions?.setOption(ChannelOptions.writeBufferWaterMark, value: ClientConnection.writeBufferWaterMark)
        let connection = ClientConnection(context: context, router: router, logger: logger)
        connection.assign(router.connectionOpened(connection))
        self.connection = connection
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        connection?.received(unwrapInboundIn(data))
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        connection?.writabilityChanged()
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let connection { router.connectionClosed(connection.handle) }
        connection = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("client connection error", metadata: ["muxd.error": "\(error)"])
        context.close(promise: nil)
    }
}
