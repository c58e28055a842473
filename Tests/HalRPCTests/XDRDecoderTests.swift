import HalRPC
import Testing

/// The XDR reader's bounds, in each strictness mode.
@Suite struct XDRDecoderTests {
    @Test func readsWordsAndStopsAtTheEnd() throws {
        var decoder = XDRDecoder(bytes("01 02 03 04 FF"))
        #expect(try decoder.decodeUInt32() == 0x0102_0304)
        #expect(throws: XDRError.truncated(offset: 4, needed: 4, available: 1)) { try decoder.decodeUInt32() }
        #expect(throws: XDRError.trailingBytes(offset: 4, count: 1)) { try decoder.finish() }
    }

    @Test func opaqueWithPadding() throws {
        var decoder = XDRDecoder(bytes("00 00 00 03 61 62 63 00 00 00 00 00"))
        #expect(try decoder.decodeOpaque() == Array("abc".utf8))
        #expect(try decoder.decodeOpaque() == [])
        try decoder.finish()
    }

    @Test(arguments: [UInt32.max, 0xFFFF_FFFD, 0xFFFF_FFFE, 0x8000_0000, 17])
    func hugeLengthIsCheckedBeforePadding(_ length: UInt32) {
        // 0xFFFFFFFD + pad rounds to 0 in 32 bits; here it must be refused, not wrap.
        var encoder = XDREncoder()
        encoder.encode(length)
        encoder.encode(0)
        encoder.encode(0)
        for strictness in [XDRDecoder.Strictness.strict, .reply, .firmware] {
            var decoder = XDRDecoder(encoder.bytes, strictness: strictness)
            #expect(throws: XDRError.truncated(offset: 4, needed: Int(length), available: 8)) { try decoder.decodeOpaque() }
        }
    }

    @Test func callerMaximumIsCheckedFirst() {
        var decoder = XDRDecoder(bytes("00 00 00 05 01 02 03 04 05 00 00 00"))
        #expect(throws: XDRError.lengthExceedsMaximum(offset: 0, length: 5, maximum: 4)) { try decoder.decodeOpaque(maximum: 4) }
    }

    @Test func strictPaddingMustBeZeroAndPresent() {
        var decoder = XDRDecoder(bytes("00 00 00 01 AA 00 01 00"))
        #expect(throws: XDRError.nonZeroPadding(offset: 6)) { try decoder.decodeOpaque() }
        var short = XDRDecoder(bytes("00 00 00 01 AA 00"))
        #expect(throws: XDRError.truncated(offset: 5, needed: 3, available: 1)) { try short.decodeOpaque() }
    }

    @Test func replyModeSkipsPadBytesAndNothingElse() throws {
        // libhal's client: pad bytes unchecked; but present, and nothing after the last field.
        var decoder = XDRDecoder(bytes("00 00 00 01 AA 77 77 77 00 00 00 02 BB CC 01 00"), strictness: .reply)
        #expect(try decoder.decodeOpaque() == [0xAA])
        #expect(try decoder.decodeOpaque() == [0xBB, 0xCC])
        try decoder.finish()
        var short = XDRDecoder(bytes("00 00 00 01 AA 77"), strictness: .reply)
        #expect(throws: XDRError.truncated(offset: 5, needed: 3, available: 1)) { try short.decodeOpaque() }
        var trailing = XDRDecoder(bytes("00 00 00 01 AA 00 00 00 07"), strictness: .reply)
        #expect(try trailing.decodeOpaque() == [0xAA])
        #expect(throws: XDRError.trailingBytes(offset: 8, count: 1)) { try trailing.finish() }
    }

    @Test func firmwareModeIsAsLenientAsTheBoard() throws {
        // docs/wire-protocol.md §2: pad bytes unchecked, a final opaque may lack its padding,
        // trailing bytes ignored, a field after a short opaque fails.
        var decoder = XDRDecoder(bytes("00 00 00 01 AA 77 77 77 00 00 00 01 BB 00"), strictness: .firmware)
        #expect(try decoder.decodeOpaque() == [0xAA])
        #expect(try decoder.decodeOpaque() == [0xBB])
        try decoder.finish()
        #expect(throws: XDRError.fieldAfterMissingPadding(offset: 14)) { try decoder.decodeUInt32() }

        var trailing = XDRDecoder(bytes("00 00 00 07 01"), strictness: .firmware)
        #expect(try trailing.decodeUInt32() == 7)
        try trailing.finish()
    }

    @Test func countsAreBoundedByTheBytesLeft() throws {
        var decoder = XDRDecoder(bytes("00 00 00 02 00 00 00 00 00 00 00 00 00 00 00 00"))
        #expect(throws: XDRError.countExceedsInput(offset: 0, count: 2, maximum: 1)) {
            try decoder.decodeCount(elementSize: 8, trailingBytes: 4)
        }
        var fits = XDRDecoder(bytes("00 00 00 02 00 00 00 00 00 00 00 00 00 00 00 00"))
        #expect(try fits.decodeCount(elementSize: 4, trailingBytes: 4) == 2)
        var huge = XDRDecoder(bytes("FF FF FF FF 00 00 00 00"))
        #expect(throws: XDRError.countExceedsInput(offset: 0, count: .max, maximum: 0)) { try huge.decodeCount(elementSize: 8) }
        var capped = XDRDecoder(bytes("00 00 00 03") + Array(repeating: 0, count: 60))
        #expect(throws: XDRError.countExceedsInput(offset: 0, count: 3, maximum: 2)) {
            try capped.decodeCount(elementSize: 20, maximum: 2)
        }
    }

    @Test func keyNamesAreExactly16Bytes() throws {
        var good = XDRDecoder(bytes("00 00 00 10") + Array(repeating: 0xAB, count: 16))
        #expect(try KeyName(from: &good).bytes == Array(repeating: 0xAB, count: 16))
        var long = XDRDecoder(bytes("00 00 00 11") + Array(repeating: 0, count: 20))
        #expect(throws: XDRError.badKeyNameLength(offset: 0, length: 17)) { try KeyName(from: &long) }
        var cut = XDRDecoder(bytes("00 00 00 11") + Array(repeating: 0, count: 8))
        #expect(throws: XDRError.truncated(offset: 4, needed: 17, available: 8)) { try KeyName(from: &cut) }
    }

    @Test func attributeDeletionMarker() throws {
        var decoder = XDRDecoder(bytes("00 00 00 04 FF FF FF FF 00 00 00 05 00 00 00 00"))
        #expect(try AttributeUpdate(from: &decoder) == .delete(AttributeType(rawValue: 4)))
        #expect(try AttributeUpdate(from: &decoder) == .set(AttributeType(rawValue: 5), []))
        try decoder.finish()
    }

    @Test func encoderPadsWithZeros() {
        var encoder = XDREncoder()
        for count in 0...5 { encoder.encodeOpaque(Array(repeating: 0xEE, count: count)) }
        #expect(encoder.bytes.count == 4 + 8 + 8 + 8 + 8 + 12)
        #expect(hexString(Array(encoder.bytes.prefix(16))) == "00 00 00 00 00 00 00 01 EE 00 00 00 00 00 00 02")
    }
}
