import Testing
@testable import HalRPC

@Suite("DER writer")
struct DERWriterTests {
    @Test("lengths in their shortest form", arguments: [
        (0, [UInt8(0x00)]), (127, [0x7F]), (128, [0x81, 0x80]), (255, [0x81, 0xFF]),
        (256, [0x82, 0x01, 0x00]), (65535, [0x82, 0xFF, 0xFF]), (65536, [0x83, 0x01, 0x00, 0x00]),
    ])
    func lengths(length: Int, header: [UInt8]) throws {
        var writer = DER.Writer()
        writer.appendOctetString([UInt8](repeating: 0xAA, count: length))
        #expect(Array(writer.bytes.prefix(1 + header.count)) == [0x04] + header)
        #expect(writer.bytes.count == 1 + header.count + length)
        var reader = DER.Reader(writer.bytes)
        #expect(try reader.readOctetString().count == length)
        try reader.finish()
    }

    @Test("INTEGERs are minimal and unsigned", arguments: [
        (UInt64(0), "02 01 00"), (127, "02 01 7F"), (128, "02 02 00 80"), (255, "02 02 00 FF"),
        (256, "02 02 01 00"), (0x8000_0000, "02 05 00 80 00 00 00"),
        (UInt64.max, "02 09 00 FF FF FF FF FF FF FF FF"),
    ])
    func integers(value: UInt64, hex: String) throws {
        var writer = DER.Writer()
        writer.appendInteger(value)
        #expect(writer.bytes == derBytes(hex))
        var reader = DER.Reader(writer.bytes)
        #expect(try reader.readInteger() == value)
    }

    @Test("magnitudes lose leading zeros and gain a sign octet")
    func magnitudes() {
        var writer = DER.Writer()
        writer.appendUnsignedInteger([0, 0, 0x01, 0x02])
        writer.appendUnsignedInteger([0x80])
        writer.appendUnsignedInteger([])
        writer.appendUnsignedInteger([0, 0])
        #expect(writer.bytes == derBytes("02 02 01 02  02 02 00 80  02 01 00  02 01 00"))
    }

    @Test("nested structures round-trip")
    func nesting() throws {
        let der = DER.sequence { outer in
            outer.appendInteger(0)
            DER.AlgorithmIdentifier(.rsaEncryption, parameters: .null).append(to: &outer)
            outer.appendSequence { inner in
                inner.appendBitString([1, 2])
                inner.appendNull()
            }
        }
        #expect(der == derBytes("30 1B 02 01 00 30 0D 06 09 2A 86 48 86 F7 0D 01 01 01 05 00 30 07 03 03 00 01 02 05 00"))
        var reader = DER.Reader(der)
        try reader.readSequence { (fields) throws(DERError) in
            #expect(try fields.readInteger() == 0)
            let algorithm = try DER.AlgorithmIdentifier(from: &fields)
            #expect(algorithm == DER.AlgorithmIdentifier(.rsaEncryption, parameters: .null))
            try fields.readSequence { (inner) throws(DERError) in
                #expect(try inner.readBitString() == [1, 2])
                try inner.readNull()
            }
        }
        try reader.finish()
    }

    @Test("AlgorithmIdentifier parameters: absent, NULL, OID, other")
    func algorithmIdentifiers() throws {
        let cases: [(DER.AlgorithmIdentifier, String)] = [
            (.init(.aes256WrapPad, parameters: .absent), "30 0B 06 09 60 86 48 01 65 03 04 01 30"),
            (.init(.sha1, parameters: .null), "30 09 06 05 2B 0E 03 02 1A 05 00"),
            (.init(.ecPublicKey, parameters: .objectIdentifier(.secp384r1)), "30 10 06 07 2A 86 48 CE 3D 02 01 06 05 2B 81 04 00 22"),
            (.init(.ecPublicKey, parameters: .other(derBytes("30 00"))), "30 0B 06 07 2A 86 48 CE 3D 02 01 30 00"),
        ]
        for (algorithm, hex) in cases {
            #expect(algorithm.der == derBytes(hex))
            var reader = DER.Reader(derBytes(hex))
            #expect(try DER.AlgorithmIdentifier(from: &reader) == algorithm)
        }
        // Three fields are one too many.
        var reader = DER.Reader(derBytes("30 0B 06 05 2B 0E 03 02 1A 05 00 05 00"))
        #expect(throws: DERError.self) { try DER.AlgorithmIdentifier(from: &reader) }
    }
}
