import Testing
@testable import HalRPC

@Suite("DER reader")
struct DERReaderTests {
    @Test("short and long definite lengths")
    func lengths() throws {
        var short = DER.Reader(derBytes("04 03 01 02 03"))
        #expect(try short.readOctetString() == [1, 2, 3])
        try short.finish()

        let long = [0x04, 0x81, 0x80] + [UInt8](repeating: 7, count: 128)
        var reader = DER.Reader(long)
        #expect(try reader.readOctetString().count == 128)

        let twoOctets = [0x04, 0x82, 0x01, 0x00] + [UInt8](repeating: 7, count: 256)
        var reader2 = DER.Reader(twoOctets)
        #expect(try reader2.readOctetString().count == 256)
    }

    @Test("non-minimal, indefinite and oversized lengths are refused", arguments: [
        ("04 81 05 0102030405", DERError.nonMinimalLength(offset: 0)),
        ("04 82 00 80" + String(repeating: "00", count: 128), .nonMinimalLength(offset: 0)),
        ("04 82 00 05 0102030405", .nonMinimalLength(offset: 0)),
        ("30 80 05 00 00 00", .indefiniteLength(offset: 0)),
        ("04 85 01 00 00 00 00", .lengthTooLarge(offset: 0)),
        ("04 FF", .lengthTooLarge(offset: 0)),
        ("04 84 FF FF FF FF 00", .truncated(offset: 0)),
        ("04 88 FF FF FF FF FF FF FF FF", .lengthTooLarge(offset: 0)),
        ("04 84 7F FF FF FF", .truncated(offset: 0)),
        ("04 05 01 02", .truncated(offset: 0)),
        ("04", .truncated(offset: 0)),
        ("", .truncated(offset: 0)),
        ("1F 01 00", .unsupportedTag(offset: 0, tag: 0x1F)),
    ])
    func badLengths(hex: String, expected: DERError) {
        var reader = DER.Reader(derBytes(hex))
        #expect(throws: expected) { _ = try reader.readElement() }
    }

    @Test("a child's length may not reach past its parent")
    func childOverrunsParent() {
        // SEQUENCE of 3 bytes whose OCTET STRING claims 4.
        var reader = DER.Reader(derBytes("30 03 04 04 01 02 03 04"))
        #expect(throws: DERError.truncated(offset: 2)) {
            var contents = try reader.readSequence()
            _ = try contents.readOctetString()
        }
    }

    @Test("INTEGERs: minimal, unsigned")
    func integers() throws {
        for (hex, value) in [("02 01 00", UInt64(0)), ("02 01 7F", 127), ("02 02 00 80", 128), ("02 02 01 00", 256),
                             ("02 09 00 FF FF FF FF FF FF FF FF", UInt64.max)] {
            var reader = DER.Reader(derBytes(hex))
            #expect(try reader.readInteger() == value, "\(hex)")
        }
        var big = DER.Reader(derBytes("02 03 00 80 01"))
        #expect(try big.readUnsignedInteger() == [0x80, 0x01])
        var zero = DER.Reader(derBytes("02 01 00"))
        #expect(try zero.readUnsignedInteger() == [0])

        for hex in ["02 00", "02 02 00 7F", "02 01 80", "02 02 FF 80", "02 03 00 00 80"] {
            var reader = DER.Reader(derBytes(hex))
            #expect(throws: DERError.invalidInteger(offset: 0), "\(hex)") { try reader.readUnsignedInteger() }
        }
        var tooBig = DER.Reader(derBytes("02 0A 01 00 00 00 00 00 00 00 00 00"))
        #expect(throws: DERError.integerTooLarge(offset: 0)) { try tooBig.readInteger() }
        var overMaximum = DER.Reader(derBytes("02 05 01 00 00 00 00"))
        #expect(throws: DERError.integerTooLarge(offset: 0)) { try overMaximum.readInteger(maximum: UInt64(UInt32.max)) }
    }

    @Test("BIT STRING, NULL and OID contents are checked")
    func primitives() throws {
        var bits = DER.Reader(derBytes("03 03 00 AB CD"))
        #expect(try bits.readBitString() == [0xAB, 0xCD])
        for hex in ["03 00", "03 02 01 AB"] {
            var reader = DER.Reader(derBytes(hex))
            #expect(throws: DERError.invalidBitString(offset: 0)) { try reader.readBitString() }
        }
        var null = DER.Reader(derBytes("05 01 00"))
        #expect(throws: DERError.invalidNull(offset: 0)) { try null.readNull() }
        for hex in ["06 00", "06 02 2A 86", "06 03 2A 80 01"] {
            var reader = DER.Reader(derBytes(hex))
            #expect(throws: DERError.invalidObjectIdentifier(offset: 0), "\(hex)") { try reader.readObjectIdentifier() }
        }
        var oid = DER.Reader(derBytes("06 09 2A 86 48 86 F7 0D 01 01 01"))
        #expect(try oid.readObjectIdentifier() == .rsaEncryption)
    }

    @Test("wrong tags and trailing bytes are refused")
    func tagsAndTrailing() throws {
        var reader = DER.Reader(derBytes("04 00"))
        #expect(throws: DERError.unexpectedTag(offset: 0, expected: 0x02, found: 0x04)) { try reader.readInteger() }

        var trailing = DER.Reader(derBytes("05 00 00"))
        try trailing.readNull()
        #expect(throws: DERError.trailingBytes(offset: 2, count: 1)) { try trailing.finish() }

        var sequence = DER.Reader(derBytes("30 04 05 00 05 00"))
        #expect(throws: DERError.trailingBytes(offset: 4, count: 2)) {
            try sequence.readSequence { (fields) throws(DERError) in try fields.readNull() }
        }
    }

    @Test("error offsets count from the start of the outermost buffer")
    func offsets() {
        var reader = DER.Reader(derBytes("30 05 05 00 02 01 80"))
        #expect(throws: DERError.invalidInteger(offset: 4)) {
            var fields = try reader.readSequence()
            try fields.readNull()
            _ = try fields.readInteger()
        }
    }

    @Test("OID dotted form")
    func oidDescription() throws {
        #expect(DER.OID.rsaEncryption.description == "1.2.840.113549.1.1.1")
        #expect(DER.OID.mtsHashSig.description == "1.2.840.113549.1.9.16.3.17")
        #expect(DER.OID.aes256WrapPad.description == "2.16.840.1.101.3.4.1.48")
        #expect(DER.OID.secp521r1.description == "1.3.132.0.35")
        #expect(DER.OID.sha512_256.description == "2.16.840.1.101.3.4.2.6")
        #expect(DER.OID.prime256v1.description == "1.2.840.10045.3.1.7")
        #expect(DER.OID.sha1.description == "1.3.14.3.2.26")
        #expect(try DER.OID(contentBytes: [0x88, 0x37]).description == "2.999")
        #expect(throws: DERError.invalidObjectIdentifier(offset: 0)) { try DER.OID(contentBytes: [0x86]) }
    }
}
