import HalRPC
import RandomInputs
import Testing

/// Random and damaged DER against every DER structure a peer hands the host or the board:
/// each decoder returns a value or a typed ``DERError``, never traps, and what it returns
/// re-encodes to DER that decodes to the same value (byte for byte where no field is skipped
/// or defaulted).
@Suite struct DERFuzzTests {
    static let ecKey = DER.SubjectPublicKeyInfo(
        algorithm: .init(.ecPublicKey, parameters: .objectIdentifier(.prime256v1)),
        publicKey: [0x04] + Array(repeating: 0x5A, count: 64))
    static let rsaKey = DER.SubjectPublicKeyInfo(
        algorithm: .init(.rsaEncryption, parameters: .null),
        publicKey: DER.sequence { fields in
            fields.appendUnsignedInteger([0xC3] + Array(repeating: 0x11, count: 63))
            fields.appendInteger(65537)
        })
    static let privateKey = DER.PrivateKeyInfo(
        algorithm: .init(.ecPublicKey, parameters: .objectIdentifier(.secp384r1)), privateKey: Array(repeating: 0x30, count: 40))
    static let wrapped = DER.EncryptedPrivateKeyInfo(
        algorithm: .init(.aes256WrapPad, parameters: .absent), encryptedData: Array(repeating: 0xE7, count: 48))

    /// Everything a DER decoder here might be handed: the structures of every decoder, so
    /// splices mix them.
    static let valid: [[UInt8]] = [
        ecKey.der, rsaKey.der, privateKey.der, wrapped.der, testCase1HashSigSPKI,
        // PrivateKeyInfo with the attributes it skips.
        DER.sequence { fields in
            fields.appendInteger(0)
            DER.AlgorithmIdentifier(.mtsHashSig, parameters: .null).append(to: &fields)
            fields.appendOctetString([1, 2, 3])
            fields.appendElement(tag: DER.Tag.contextConstructed0, content: [DER.Tag.null, 0])
        },
    ]

    /// Long-form lengths (huge, non-minimal, indefinite, five octets), and the tags in use.
    static let dictionary: [[UInt8]] = [
        [0x84, 0xFF, 0xFF, 0xFF, 0xFF], [0x84, 0x7F, 0xFF, 0xFF, 0xFF], [0x81, 0x05], [0x82, 0x00, 0x80], [0x80],
        [0x85, 1, 0, 0, 0, 0], [0x1F], [0x30, 0x00], [0x05, 0x00], [0x02, 0x01, 0x00], [0x03, 0x01, 0x00],
        [0x06, 0x01, 0x80], [0xA0, 0x00],
    ]

    static func inputs(_ seed: UInt64) -> RandomInputs {
        RandomInputs(seed: seed, valid: valid, dictionary: dictionary)
    }

    @Test func subjectPublicKeyInfo() async {
        // Canonical: what decodes is exactly its own encoding.
        let run = await RoundTripRun.run(Self.inputs(1), canonical: true, decode: { try? DER.SubjectPublicKeyInfo(der: $0) }, encode: \.der)
        #expect(run.decoded > 1000)
        #expect(run.mismatches.isEmpty, "\(run.mismatches)")
    }

    @Test func privateKeyInfo() async {
        let run = await RoundTripRun.run(Self.inputs(3), decode: { try? DER.PrivateKeyInfo(der: $0) }, encode: \.der)
        #expect(run.decoded > 1000)
        #expect(run.mismatches.isEmpty, "\(run.mismatches)")
    }

    @Test func encryptedPrivateKeyInfo() async {
        let run = await RoundTripRun.run(Self.inputs(4), canonical: true, decode: { try? DER.EncryptedPrivateKeyInfo(der: $0) }, encode: \.der)
        #expect(run.decoded > 1000)
        #expect(run.mismatches.isEmpty, "\(run.mismatches)")
    }

    @Test func hashSigPublicKeyInfo() async {
        let run = await RoundTripRun.run(Self.inputs(5), decode: { try? HashSigPublicKeyInfo(der: $0) }, encode: \.der)
        #expect(run.decoded > 1000)
        #expect(run.mismatches.isEmpty, "\(run.mismatches)")
    }

    /// The reader on its own, walking whatever it is given element by element, descending
    /// into SEQUENCEs: every element it returns lies inside the input.
    @Test func readerWalk() async {
        let run = await RoundTripRun.run(Self.inputs(6), canonical: true, decode: { bytes -> [UInt8]? in
            var reader = DER.Reader(bytes)
            return Self.walk(&reader, depth: 0) ? bytes : nil
        }, encode: { $0 })
        #expect(run.decoded > 1000)
        #expect(run.mismatches.isEmpty)
    }

    /// Reads every element of `reader`'s window with the reader that fits its tag.
    private static func walk(_ reader: inout DER.Reader, depth: Int) -> Bool {
        while let tag = reader.nextTag {
            do throws(DERError) {
                switch tag {
                case DER.Tag.sequence:
                    guard depth < 16 else { return false }
                    var contents = try reader.readSequence()
                    guard walk(&contents, depth: depth + 1) else { return false }
                case DER.Tag.integer: _ = try reader.readUnsignedInteger()
                case DER.Tag.bitString: _ = try reader.readBitString()
                case DER.Tag.octetString: _ = try reader.readOctetString()
                case DER.Tag.objectIdentifier: _ = try reader.readObjectIdentifier()
                case DER.Tag.null: try reader.readNull()
                default: _ = try reader.readElement()
                }
            } catch {
                return false
            }
        }
        return (try? reader.finish()) != nil
    }
}
