import NIOCore

/// A SwiftNIO decoder that turns a byte stream into SLIP frames (`[UInt8]` payloads).
///
/// Framing faults do not tear the channel down: each is passed on with
/// `fireErrorCaught` as a ``SLIPError`` (so a handler further in can log or count it), the
/// damaged frame is dropped and decoding continues at the next END. Throwing instead would
/// leave NIO's `ByteToMessageHandler` in its error state and lose every later frame.
public struct SLIPFrameDecoder: ByteToMessageDecoder {
    /// One frame's unescaped payload.
    public typealias InboundOut = [UInt8]

    private var decoder: SLIPDecoder

    /// - Parameter maximumFrameLength: the longest unescaped payload accepted (default 16 KiB).
    public init(maximumFrameLength: Int = SLIP.maximumPayload) {
        decoder = SLIPDecoder(maximumFrameLength: maximumFrameLength)
    }

    /// Decodes every readable byte, passing each frame on and each fault to `fireErrorCaught`;
    /// a partial frame stays in the decoder, not the buffer.
    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard buffer.readableBytes > 0 else { return .needMoreData }
        buffer.withUnsafeReadableBytes { bytes in
            decoder.decode(bytes) { event in
                switch event {
                case .frame(let frame): context.fireChannelRead(Self.wrapInboundOut(frame))
                case .error(let error): context.fireErrorCaught(error)
                }
            }
        }
        buffer.moveReaderIndex(to: buffer.writerIndex)
        return .needMoreData
    }

    /// Decodes what is left; at end of stream a half-received frame is reported as
    /// ``SLIPError/truncated(received:)``.
    public mutating func decodeLast(
        context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool
    ) throws -> DecodingState {
        _ = try decode(context: context, buffer: &buffer)
        if seenEOF, let error = decoder.finish() {
            context.fireErrorCaught(error)
        }
        return .needMoreData
    }
}

/// A SwiftNIO encoder that writes each outbound payload as one SLIP frame.
public struct SLIPFrameEncoder: MessageToByteEncoder {
    /// One payload, written as one frame.
    public typealias OutboundIn = [UInt8]

    /// The encoder keeps no state.
    public init() {}

    /// Appends `data` as one SLIP frame, starting with END.
    public func encode(data: [UInt8], out: inout ByteBuffer) throws {
        _ = data.withUnsafeBytes { out.writeSLIPFrame($0) }
    }
}

extension ByteBuffer {
    /// Appends the SLIP frame of `payload` (so several frames can leave in one write);
    /// returns the bytes written.
    @discardableResult
    public mutating func writeSLIPFrame(_ payload: UnsafeRawBufferPointer) -> Int {
        writeWithUnsafeMutableBytes(minimumWritableBytes: SLIPEncoder.maximumEncodedLength(payload.count)) { target in
            SLIPEncoder.encodeRaw(payload, into: target)
        }
    }
}
