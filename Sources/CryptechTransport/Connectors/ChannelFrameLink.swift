import NIOCore
import NIOPosix
import Synchronization

/// A ``FrameLink`` over a SwiftNIO channel whose pipeline frames SLIP: a tty or pty
/// descriptor (through `NIOPipeBootstrap`) or a Unix stream socket.
public final class ChannelFrameLink: FrameLink {
    /// The device or socket path this link reaches, named in every ``TransportError`` it throws.
    public let endpoint: String
    private let channel: any Channel
    private let inbox: FrameInbox
    private let framing: FramingCounter
    private let onClose: (@Sendable () -> Void)?

    init(channel: any Channel, inbox: FrameInbox, framing: FramingCounter, onClose: (@Sendable () -> Void)?) {
        self.endpoint = inbox.endpoint
        self.channel = channel
        self.inbox = inbox
        self.framing = framing
        self.onClose = onClose
        // Whatever ends the channel ends the link; `close()` marks its own ending first.
        channel.closeFuture.whenComplete { [inbox] _ in
            inbox.finish(TransportError(.lost, endpoint: inbox.endpoint, "connection lost"))
            onClose?()
        }
    }

    /// Framing faults seen on input so far (overlong frames, invalid escapes).
    public var framingErrors: Int { framing.count }

    /// Writes `frame` as one SLIP frame and waits until the channel has flushed it.
    /// - Throws: ``TransportError`` `closed` after ``close()``, `lost` when the write failed.
    public func send(_ frame: [UInt8]) async throws {
        try await write { $0.writeAndFlush(frame) }
    }

    /// Writes every frame and flushes once, so a burst leaves in as few writes as the kernel takes;
    /// nothing is written for an empty list.
    /// - Throws: ``TransportError`` `closed` after ``close()``, `lost` when the write failed.
    public func send(frames: [[UInt8]]) async throws {
        guard let last = frames.last else { return }
        try await write { channel in
            for frame in frames.dropLast() { channel.write(frame, promise: nil) }
            return channel.writeAndFlush(last)
        }
    }

    /// Waits for the next frame the SLIP decoder completed; damaged frames never arrive here, they
    /// only count in ``framingErrors``.
    /// - Parameter timeout: how long to wait; `nil` waits until a frame comes or the link ends.
    /// - Throws: ``TransportError`` `timeout`, `closed` or `lost`, as ``FrameLink/receive(timeout:)`` says.
    public func receive(timeout: Duration?) async throws -> [UInt8] {
        try await inbox.receive(timeout: timeout)
    }

    /// Ends the link: waiting and later receives fail with `closed`, and the channel (with its
    /// descriptor or socket) is closed. Idempotent.
    public func close() async {
        inbox.finish(TransportError(.closed, endpoint: endpoint, "link closed"))
        try? await channel.close()
    }

    private func write(_ body: (any Channel) -> EventLoopFuture<Void>) async throws {
        if inbox.isFinished, !channel.isActive {
            throw TransportError(.closed, endpoint: endpoint, "link is closed")
        }
        do {
            try await body(channel).get()
        } catch let error as TransportError {
            throw error
        } catch {
            throw TransportError(.lost, endpoint: endpoint, "write failed: \(error)")
        }
    }

    /// Builds a link on `channel`'s pipeline: SLIP codec, then the inbox. While the inbox is
    /// full the channel is not read (``InboxHandler``); the inbox asks for the next read once
    /// the consumer has drained it.
    static func configure(_ channel: any Channel, endpoint: String, maximumFrameLength: Int) throws -> (FrameInbox, FramingCounter) {
        let inbox = FrameInbox(endpoint: endpoint, resumeProducer: { channel.read() })
        let counter = FramingCounter()
        try channel.pipeline.syncOperations.addHandlers([
            ByteToMessageHandler(SLIPFrameDecoder(maximumFrameLength: maximumFrameLength)),
            MessageToByteHandler(SLIPFrameEncoder()),
            InboxHandler(inbox: inbox, framing: counter),
        ])
        return (inbox, counter)
    }

    /// Wraps `descriptor` (a tty, pty master or slave) in a link. The link owns the
    /// descriptor from the moment this is called, on success and on failure.
    public static func pipe(
        descriptor: Int32,
        endpoint: String,
        maximumFrameLength: Int = SLIP.maximumPayload,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        onClose: (@Sendable () -> Void)? = nil
    ) async throws -> ChannelFrameLink {
        let parts = Mutex<(FrameInbox, FramingCounter)?>(nil)
        let channel: any Channel
        do {
            channel = try await NIOPipeBootstrap(group: group)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let built = try configure(channel, endpoint: endpoint, maximumFrameLength: maximumFrameLength)
                        parts.withLock { $0 = built }
                    }
                }
                .takingOwnershipOfTerminal(descriptor)
                .get()
        } catch {
            onClose?()
            throw TransportError(.io, endpoint: endpoint, "cannot attach to the event loop: \(error)")
        }
        guard let (inbox, counter) = parts.withLock({ $0 }) else {
            preconditionFailure("channel initializer did not run")
        }
        return ChannelFrameLink(channel: channel, inbox: inbox, framing: counter, onClose: onClose)
    }
}

/// Counts framing faults reported by the SLIP decoder.
final class FramingCounter: Sendable {
    private let value = Atomic<Int>(0)
    func increment() { value.add(1, ordering: .relaxed) }
    var count: Int { value.load(ordering: .relaxed) }
}

/// Last handler of a link's pipeline: frames to the inbox, faults counted, endings reported.
/// It holds back the channel's reads while the inbox is full, so a peer that sends faster
/// than the link is received waits in the kernel instead of growing the inbox.
private final class InboxHandler: ChannelDuplexHandler {
    typealias InboundIn = [UInt8]
    typealias OutboundIn = [UInt8]

    let inbox: FrameInbox
    let framing: FramingCounter

    init(inbox: FrameInbox, framing: FramingCounter) {
        self.inbox = inbox
        self.framing = framing
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if inbox.deliver(unwrapInboundIn(data)) == .refused {
            // The link has ended (closed, lost, or overflowed): nothing more is wanted.
            context.close(promise: nil)
        }
    }

    func read(context: ChannelHandlerContext) {
        // While the inbox is full the read is dropped; the inbox calls `channel.read()` again
        // once it has drained.
        guard !inbox.isPaused else { return }
        context.read()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if error is SLIPError {
            // The decoder already dropped the damaged frame and resynchronised.
            framing.increment()
            return
        }
        inbox.finish(TransportError(.lost, endpoint: inbox.endpoint, "\(error)"))
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        inbox.finish(TransportError(.lost, endpoint: inbox.endpoint, "connection lost"))
    }
}
