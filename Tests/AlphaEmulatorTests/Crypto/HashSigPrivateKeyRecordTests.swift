import HalRPC
import Testing
@testable import AlphaEmulator

private func h(_ text: String) -> [UInt8] { CryptoFixtures.bytes(text) }

/// The docs/wire-protocol.md §8.6 example: L = 2, H5/W8, q_start 16, q_end 32, with recognisable I, T1 and
/// SEED.
enum HashSigRecordExample {
    static let identifier = [UInt8](0x00..<0x10)
    static let root = [UInt8](0x20..<0x40)
    static let seed = [UInt8](0x40..<0x60)

    static func record() throws -> HashSigPrivateKeyRecord {
        try HashSigPrivateKeyRecord(
            levels: 2, lmsType: .sha256N32H5, lmotsType: .sha256N32W8,
            identifier: identifier, root: root, seed: seed, qStart: 16, qEnd: 32)
    }

    /// The spec's prefix, then the fields in order.
    static let der = h("30 7D 02 01 00 30 0F 06 0B 2A 86 48 86 F7 0D 01 09 10 03 11 05 00 04 67 30 65 02 01 02")
        + h("02 01 05 02 01 04 04 10") + identifier + h("04 20") + root + h("04 20") + seed + h("02 01 10 02 01 20")
}

@Suite("Hashsig private key record (docs/wire-protocol.md §8.6)")
struct HashSigPrivateKeyRecordTests {
    @Test("the §8.6 example: 127 bytes, inner SEQUENCE 103, golden both ways")
    func golden() throws {
        let record = try HashSigRecordExample.record()
        #expect(record.privateKeyInfo == HashSigRecordExample.der)
        #expect(record.privateKeyInfo.count == 127)
        #expect(try DER.PrivateKeyInfo(der: record.privateKeyInfo).privateKey.count == 103)
        let parsed = try HashSigPrivateKeyRecord(privateKeyInfo: HashSigRecordExample.der)
        #expect(parsed == record)
        #expect(parsed.levels == 2 && parsed.lmsType == .sha256N32H5 && parsed.lmotsType == .sha256N32W8)
        #expect(parsed.qStart == 16 && parsed.qEnd == 32)
        #expect(parsed.seed == HashSigRecordExample.seed)
        #expect(parsed.publicKeyInfo.der.count == 85)
        #expect(parsed.publicKeyInfo.identifier == HashSigRecordExample.identifier)
    }

    @Test("INTEGERs stay minimal up to five content bytes")
    func integerWidths() throws {
        var record = try HashSigRecordExample.record()
        for (qStart, qEnd) in [(UInt32(0), UInt32(128)), (0x7F, 0x80), (0x1_0000, 0x200_0000), (0x7FFF_FFFF, 0xFFFF_FFFF)] {
            record.qStart = qStart
            record.qEnd = qEnd
            let der = record.privateKeyInfo
            #expect(try HashSigPrivateKeyRecord(privateKeyInfo: der) == record)
        }
        record.qEnd = 0xFFFF_FFFF
        #expect(record.privateKeyInfo.suffix(7) == h("02 05 00 FF FF FF FF")[...])
    }

    @Test("the SEED takes part in equality")
    func equality() throws {
        let a = try HashSigRecordExample.record()
        let b = try HashSigPrivateKeyRecord(
            levels: 2, lmsType: .sha256N32H5, lmotsType: .sha256N32W8, identifier: HashSigRecordExample.identifier,
            root: HashSigRecordExample.root, seed: [UInt8](repeating: 0, count: 32), qStart: 16, qEnd: 32)
        #expect(a != b)
    }

    @Test("hostile input: truncation at every offset, trailing bytes, corruption")
    func hostile() throws {
        let der = HashSigRecordExample.der
        for length in 0..<der.count {
            #expect(throws: CryptoError.self, "length \(length)") { try HashSigPrivateKeyRecord(privateKeyInfo: Array(der.prefix(length))) }
        }
        #expect(throws: CryptoError.self) { try HashSigPrivateKeyRecord(privateKeyInfo: der + [0]) }
        for index in der.indices {
            var corrupted = der
            corrupted[index] ^= 0x01
            if let record = try? HashSigPrivateKeyRecord(privateKeyInfo: corrupted) {
                #expect(record.privateKeyInfo == corrupted, "a corrupted record that parses re-encodes to itself")
            }
        }
    }

    @Test("wrong fields are ASN1_PARSE_FAILED, a wrong OID UNSUPPORTED_KEY")
    func refusals() throws {
        func code(_ der: [UInt8]) -> HALError? {
            do { _ = try HashSigPrivateKeyRecord(privateKeyInfo: der) } catch { return error.halError }
            return nil
        }
        let record = try HashSigRecordExample.record()
        let inner = try DER.PrivateKeyInfo(der: record.privateKeyInfo).privateKey
        func wrapped(_ inner: [UInt8], _ algorithm: DER.AlgorithmIdentifier = .init(.mtsHashSig, parameters: .null)) -> [UInt8] {
            DER.PrivateKeyInfo(algorithm: algorithm, privateKey: inner).der
        }
        #expect(code(wrapped(inner, .init(.mtsHashSig, parameters: .absent))) == nil)
        #expect(code(wrapped(inner, .init(.mtsHashSig, parameters: .objectIdentifier(.sha256)))) == .asn1ParseFailed)
        #expect(code(wrapped(inner, .init(.rsaEncryption, parameters: .null))) == .unsupportedKey)
        // I of 15 bytes: rebuild the SEQUENCE by hand.
        let shortI = DER.sequence { fields in
            fields.appendInteger(2); fields.appendInteger(5); fields.appendInteger(4)
            fields.appendOctetString([UInt8](repeating: 1, count: 15))
            fields.appendOctetString(HashSigRecordExample.root); fields.appendOctetString(HashSigRecordExample.seed)
            fields.appendInteger(16); fields.appendInteger(32)
        }
        #expect(code(wrapped(shortI)) == .asn1ParseFailed)
        // q_end above 32 bits.
        let wideQ = DER.sequence { fields in
            fields.appendInteger(2); fields.appendInteger(5); fields.appendInteger(4)
            fields.appendOctetString(HashSigRecordExample.identifier)
            fields.appendOctetString(HashSigRecordExample.root); fields.appendOctetString(HashSigRecordExample.seed)
            fields.appendInteger(16); fields.appendInteger(1 << 32)
        }
        #expect(code(wrapped(wideQ)) == .asn1ParseFailed)
        #expect(throws: CryptoError.self) {
            try HashSigPrivateKeyRecord(levels: 1, lmsType: .sha256N32H5, lmotsType: .sha256N32W8, identifier: HashSigRecordExample.identifier,
                                        root: HashSigRecordExample.root, seed: [1], qStart: 0, qEnd: 32)
        }
    }
}
