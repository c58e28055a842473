import CryptechTransport
import Foundation
import NIOCore
import NIOPosix
import Testing

/// A tiny SLIP echo server on a real Unix socket: every frame comes back reversed, and the
/// one-byte frame `FF` makes it hang up.
private final class ReverseEcho: ChannelInboundHandler {
    typealias InboundIn = [UInt8]
    typealias OutboundOut = [UInt8]
    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        if frame == [0xFF] {
            context.close(promise: nil)
            return
        }
        context.writeAndFlush(wrapOutboundOut(frame.reversed()), promise: nil)
    }
}

private func startEchoServer(at path: String) async throws -> any Channel {
    try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .childChannelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandlers([
                    ByteToMessageHandler(SLIPFrameDecoder()),
                    MessageToByteHandler(SLIPFrameEncoder()),
                    ReverseEcho(),
                ])
            }
        }
        .bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true)
        .get()
}

@Suite struct UnixSocketConnectorTests {
    private func socketPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("cryptech-test-\(UUID().uuidString.prefix(8)).sock").path
    }

    @Test func framesRoundTripThroughAnEchoServer() async throws {
        let path = socketPath()
        let server = try await startEchoServer(at: path)
        let link = try await UnixSocketConnector(path: path).open()
        for frame: [UInt8] in [[1, 2, 3], [0xC0, 0xDB, 0x00], Array(repeating: 0xC0, count: 16384)] {
            try await link.send(frame)
            #expect(try await link.receive(timeout: .seconds(5)) == frame.reversed())
        }
        await link.close()
        try await server.close()
    }

    @Test func manyFramesArriveInOrderThroughTheSequence() async throws {
        let path = socketPath()
        let server = try await startEchoServer(at: path)
        let link = try await UnixSocketConnector(path: path).open()
        let frames = (0..<200).map { i in [UInt8(i & 0xFF), 0xC0, UInt8(i >> 8)] }
        try await link.send(frames: frames)
        var received: [[UInt8]] = []
        for try await frame in link.frames {
            received.append(frame)
            if received.count == frames.count { break }
        }
        #expect(received == frames.map { $0.reversed() })
        await link.close()
        try await server.close()
    }

    @Test func serverHangingUpIsLost() async throws {
        let path = socketPath()
        let server = try await startEchoServer(at: path)
        let link = try await UnixSocketConnector(path: path).open()
        try await link.send([0xFF])
        let error = await #expect(throws: TransportError.self) { try await link.receive(timeout: .seconds(5)) }
        #expect(error?.code == .lost)
        let sendError = await #expect(throws: TransportError.self) { try await link.send([1]) }
        #expect(sendError != nil)
        await link.close()
        try await server.close()
    }

    @Test func missingSocketIsNamed() async throws {
        let path = socketPath()
        let error = await #expect(throws: TransportError.self) { try await UnixSocketConnector(path: path).open() }
        #expect(error?.code == .notFound)
        #expect(error?.description.contains(path) == true)
    }
}
