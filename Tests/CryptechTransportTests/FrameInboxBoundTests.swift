import CryptechTransport
import Foundation
import NIOCore
import NIOPosix
import Synchronization
import Testing

/// How far a ``Flooder`` got: frames written into its socket so far.
private final class FloodProgress: Sendable {
    let frames: Int
    let size: Int
    let written = Atomic<Int>(0)

    init(frames: Int, size: Int) {
        self.frames = frames
        self.size = size
    }
}

/// A server that, once a client connects, writes numbered frames as fast as its socket takes
/// them (while the channel is writable), so how far it got shows how much the client took.
private final class Flooder: ChannelInboundHandler {
    typealias InboundIn = [UInt8]
    typealias OutboundOut = [UInt8]

    let progress: FloodProgress
    private var next = 0

    init(progress: FloodProgress) { self.progress = progress }

    func channelActive(context: ChannelHandlerContext) { pump(context) }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { pump(context) }
    }

    private func pump(_ context: ChannelHandlerContext) {
        while context.channel.isWritable, next < progress.frames {
            // Each frame says its index in its first two bytes.
            var frame = [UInt8](repeating: 0x5A, count: progress.size)
            frame[0] = UInt8(next >> 8)
            frame[1] = UInt8(next & 0xFF)
            context.writeAndFlush(wrapOutboundOut(frame), promise: nil)
            next += 1
            progress.written.store(next, ordering: .relaxed)
        }
    }
}

@Suite struct FrameInboxBoundTests {
    @Test func anInProcessPeerThatIsNeverReadEndsTheLinkWithAnOverflow() async throws {
        let (host, board) = InProcessLink.pair(endpoint: "in-process-flood")
        let frame = [UInt8](repeating: 1, count: SLIP.maximumPayload)
        // 16 MiB is the most that may wait; 1,100 frames of 16 KiB are more.
        var refusedAt: Int?
        for index in 0..<1_100 {
            do {
                try await board.send(frame)
            } catch {
                refusedAt = index
                break
            }
        }
        let stopped = try #require(refusedAt, "the sender is told once the receiver's link has ended")
        #expect(stopped > 1_000 && stopped < 1_030)
        let error = await #expect(throws: TransportError.self) { try await host.receive(timeout: .seconds(1)) }
        #expect(error?.code == .overflow)
        #expect(error?.endpoint == "in-process-flood")
        await host.close()
    }

    @Test func aSocketPeerFloodingMoreThanTheInboxHoldsIsHeldBackAndEverythingArrives() async throws {
        // 40 MiB, far over the 16 MiB an inbox may hold: without back-pressure the client
        // would take it all and end the link with an overflow; with it the server is held
        // back until the client receives.
        let progress = FloodProgress(frames: 2_500, size: SLIP.maximumPayload)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cryptech-flood-\(UUID().uuidString.prefix(8)).sock").path
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([
                        ByteToMessageHandler(SLIPFrameDecoder()), MessageToByteHandler(SLIPFrameEncoder()), Flooder(progress: progress),
                    ])
                }
            }
            .bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true)
            .get()
        let link = try await UnixSocketConnector(path: path).open()
        // Receive nothing until the server has stopped getting further.
        var last = -1
        var rounds = 0
        while progress.written.load(ordering: .relaxed) != last, rounds < 100 {
            last = progress.written.load(ordering: .relaxed)
            rounds += 1
            try await Task.sleep(for: .milliseconds(100))
        }
        let held = progress.written.load(ordering: .relaxed)
        let overflowPoint = (16 << 20) / (progress.size + 64)
        #expect(held < overflowPoint / 2, "the client stopped reading well before its inbox could overflow (\(held) frames written)")
        for index in 0..<progress.frames {
            let frame = try await link.receive(timeout: .seconds(10))
            #expect(frame.count == progress.size)
            let number = Int(frame[0]) << 8 | Int(frame[1])
            #expect(number == index)
            if number != index { break }
        }
        #expect(progress.written.load(ordering: .relaxed) == progress.frames)
        await link.close()
        try await server.close()
    }
}
