import CryptechTransport
import NIOCore
import NIOEmbedded
import NIOTestUtils
import Testing

@Suite struct SLIPFrameDecoderTests {
    @Test func verifierAcceptsTheDecoder() throws {
        let frames: [[UInt8]] = [[1, 2, 3], [0xC0, 0xDB], [0x42]]
        let pairs = frames.map { frame in (ByteBuffer(bytes: SLIPEncoder.encode(frame)), [frame]) }
        try ByteToMessageDecoderVerifier.verifyDecoder(inputOutputPairs: pairs) { SLIPFrameDecoder() }
    }

    @Test func faultsAreReportedAndTheChannelKeepsDecoding() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(SLIPFrameDecoder(maximumFrameLength: 8)))
        defer { _ = try? channel.finish() }
        let wire = SLIPEncoder.encode([UInt8](repeating: 7, count: 20)) + SLIPEncoder.encode([1, 2])
        #expect(throws: SLIPError.frameTooLong(limit: 8)) {
            try channel.writeInbound(ByteBuffer(bytes: wire))
        }
        #expect(try channel.readInbound(as: [UInt8].self) == [1, 2])
        try channel.writeInbound(ByteBuffer(bytes: SLIPEncoder.encode([3])))
        #expect(try channel.readInbound(as: [UInt8].self) == [3])
    }

    @Test func endOfStreamInsideAFrameIsReported() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(SLIPFrameDecoder()))
        try channel.writeInbound(ByteBuffer(bytes: [0xC0, 1, 2]))
        #expect(throws: SLIPError.truncated(received: 2)) { _ = try channel.finish() }
    }

    @Test func encoderWritesOneFramePerMessage() throws {
        let channel = EmbeddedChannel(handler: MessageToByteHandler(SLIPFrameEncoder()))
        try channel.writeOutbound([UInt8]([0xC0, 5]))
        let out = try #require(try channel.readOutbound(as: ByteBuffer.self))
        #expect(Array(out.readableBytesView) == [0xC0, 0xDB, 0xDC, 5, 0xC0])
        _ = try channel.finish()
    }
}
