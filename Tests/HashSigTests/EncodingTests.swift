import RFC8554Vectors
import Testing
@testable import HashSig

@Suite("Strict encodings")
struct EncodingTests {
    let tc1: RFC8554Vectors.Case
    init() throws { tc1 = try RFC8554Vectors.load("tc1.vec") }

    @Test("Every proper prefix of a public key is truncated; one more byte is trailing")
    func publicKeyLengths() throws {
        for length in 0..<HSS.PublicKey.length {
            #expect(throws: HashSigError.self) { try HSS.PublicKey(bytes: Array(tc1.publicKey.prefix(length))) }
        }
        #expect(throws: HashSigError.truncated(.lmsPublicKey, needed: 60, available: 59)) {
            try HSS.PublicKey(bytes: Array(tc1.publicKey.dropLast()))
        }
        #expect(throws: HashSigError.trailingBytes(.hssPublicKey, count: 1)) {
            try HSS.PublicKey(bytes: tc1.publicKey + [0])
        }
        let lms = Array(tc1.publicKey.dropFirst(4))
        #expect(try LMS.PublicKey(bytes: lms).bytes == lms)
        #expect(throws: HashSigError.trailingBytes(.lmsPublicKey, count: 2)) { try LMS.PublicKey(bytes: lms + [1, 2]) }
    }

    @Test("L outside 1...8 is refused", arguments: [UInt32(0), 9, 0xFFFF_FFFF])
    func levelCount(levels: UInt32) {
        var bytes = tc1.publicKey
        bytes.replaceSubrange(0..<4, with: [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: levels >> $0) })
        #expect(throws: HashSigError.levelCountOutOfRange(levels)) { try HSS.PublicKey(bytes: bytes) }
    }

    @Test("Every truncation of a signature is a typed error, sampled over all lengths")
    func signatureTruncations() throws {
        let publicKey = try HSS.PublicKey(bytes: tc1.publicKey)
        for length in stride(from: 0, to: tc1.signature.count, by: 7) {
            let prefix = Array(tc1.signature.prefix(length))
            #expect(throws: HashSigError.self) { try HSS.Signature(bytes: prefix) }
            // Nspk = 1 is read once 4 bytes are there, so every longer prefix fails on length.
            if length >= 4 {
                #expect(throws: HashSigError.self) { try publicKey.verify(signature: prefix, for: tc1.message) }
            }
        }
    }

    @Test("Nspk + 1 outside 1...8 is refused by the stand-alone parser")
    func nspk() {
        var bytes = tc1.signature
        bytes[3] = 8
        #expect(throws: HashSigError.levelCountOutOfRange(9)) { try HSS.Signature(bytes: bytes) }
        bytes.replaceSubrange(0..<4, with: [0xFF, 0xFF, 0xFF, 0xFF])
        #expect(throws: HashSigError.levelCountOutOfRange(.max)) { try HSS.Signature(bytes: bytes) }
    }

    @Test("The stand-alone parser reports a wrong Nspk as a length error, the verifier as a level mismatch")
    func nspkAgainstKey() throws {
        var bytes = tc1.signature
        bytes[3] = 0
        #expect(throws: HashSigError.trailingBytes(.hssSignature, count: 2644 - 4 - 1292)) {
            try HSS.Signature(bytes: bytes)
        }
        let publicKey = try HSS.PublicKey(bytes: tc1.publicKey)
        #expect(try publicKey.verify(signature: bytes, for: tc1.message)
            == .invalid(.levelCountMismatch(publicKey: 2, signature: 1)))
        bytes.replaceSubrange(0..<4, with: [0xFF, 0xFF, 0xFF, 0xFF])
        #expect(try publicKey.verify(signature: bytes, for: tc1.message)
            == .invalid(.levelCountMismatch(publicKey: 2, signature: 1 << 32)))
    }

    @Test("LMS and LM-OTS signatures round-trip and refuse trailing bytes and q ≥ 2^h")
    func lmsSignature() throws {
        let signature = try HSS.Signature(bytes: tc1.signature)
        let lms = signature.messageSignature
        #expect(try LMS.Signature(bytes: lms.bytes) == lms)
        #expect(lms.bytes.count == LMSType.sha256M32H5.signatureLength(lmotsType: .sha256N32W8))
        #expect(throws: HashSigError.trailingBytes(.lmsSignature, count: 1)) {
            try LMS.Signature(bytes: lms.bytes + [0])
        }
        var outOfRange = lms.bytes
        outOfRange.replaceSubrange(0..<4, with: [0, 0, 0, 32])
        #expect(throws: HashSigError.leafIndexOutOfRange(q: 32, leafCount: 32)) { try LMS.Signature(bytes: outOfRange) }
        #expect(throws: HashSigError.leafIndexOutOfRange(q: 32, leafCount: 32)) {
            try LMS.Signature(leafIndex: 32, lmotsSignature: lms.lmotsSignature, lmsType: .sha256M32H5, path: lms.path)
        }
        #expect(throws: HashSigError.invalidLength(.lmsSignature, expected: 160, actual: 128)) {
            try LMS.Signature(leafIndex: 0, lmotsSignature: lms.lmotsSignature, lmsType: .sha256M32H5,
                              path: Array(lms.path.prefix(128)))
        }
        let ots = lms.lmotsSignature
        #expect(try LMOTS.Signature(bytes: ots.bytes) == ots)
        #expect(ots.bytes.count == LMOTSType.sha256N32W8.signatureLength)
        #expect(ots.chainValue(33) == ots.chainValues.suffix(32))
        #expect(throws: HashSigError.truncated(.lmotsSignature, needed: 1124, available: 1123)) {
            try LMOTS.Signature(bytes: Array(ots.bytes.dropLast()))
        }
        #expect(throws: HashSigError.invalidLength(.randomizer, expected: 32, actual: 31)) {
            try LMOTS.Signature(type: .sha256N32W8, randomizer: Array(repeating: 0, count: 31),
                                chainValues: ots.chainValues)
        }
    }

    @Test("Parts are checked when a public key is made from them")
    func publicKeyParts() {
        #expect(throws: HashSigError.invalidLength(.identifier, expected: 16, actual: 15)) {
            try LMS.PublicKey(lmsType: .sha256M32H5, lmotsType: .sha256N32W8,
                              identifier: Array(repeating: 0, count: 15), root: Array(repeating: 0, count: 32))
        }
        #expect(throws: HashSigError.invalidLength(.root, expected: 32, actual: 33)) {
            try LMS.PublicKey(lmsType: .sha256M32H5, lmotsType: .sha256N32W8,
                              identifier: Array(repeating: 0, count: 16), root: Array(repeating: 0, count: 33))
        }
    }

    @Test("Error descriptions name the field and the numbers")
    func descriptions() {
        #expect("\(HashSigError.unknownLMOTSType(0))" == "unknown LM-OTS type 0x00000000")
        #expect("\(HashSigError.truncated(.hssSignature, needed: 2644, available: 2643))"
            == "HSS signature truncated: needs 2644 bytes, has 2643")
        #expect("\(InvalidSignatureReason.rootMismatch(level: 1))"
            == "level 1: the computed root differs from the public key")
    }
}
