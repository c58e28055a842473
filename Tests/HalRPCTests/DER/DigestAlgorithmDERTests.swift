import Testing
@testable import HalRPC

@Suite("Digest AlgorithmIdentifiers and DigestInfo (docs/wire-protocol.md §7)")
struct DigestAlgorithmDERTests {
    @Test("AlgorithmIdentifiers exactly as the board returns them", arguments: [
        (DigestAlgorithm.sha1, "30 09 06 05 2B 0E 03 02 1A 05 00"),
        (.sha256, "30 0D 06 09 60 86 48 01 65 03 04 02 01 05 00"),
        (.sha384, "30 0D 06 09 60 86 48 01 65 03 04 02 02 05 00"),
        (.sha512, "30 0D 06 09 60 86 48 01 65 03 04 02 03 05 00"),
        (.sha224, "30 0D 06 09 60 86 48 01 65 03 04 02 04 05 00"),
        (.sha512_224, "30 0D 06 09 60 86 48 01 65 03 04 02 05 05 00"),
        (.sha512_256, "30 0D 06 09 60 86 48 01 65 03 04 02 06 05 00"),
    ])
    func algorithmIdentifiers(algorithm: DigestAlgorithm, hex: String) {
        #expect(algorithm.algorithmIdentifier?.der == derBytes(hex))
    }

    @Test("none and unknown codes have no AlgorithmIdentifier")
    func unknown() {
        #expect(DigestAlgorithm.none.algorithmIdentifier == nil)
        #expect(DigestAlgorithm(rawValue: 8).algorithmIdentifier == nil)
        #expect(throws: DERError.self) { try DigestAlgorithm.none.digestInfo(digest: []) }
    }

    @Test("DigestInfo = 30 <len> AlgorithmIdentifier 04 <n> digest (RFC 8017 §9.2 note 1 prefixes)")
    func digestInfo() throws {
        let sha256 = [UInt8](repeating: 0x11, count: 32)
        #expect(try DigestAlgorithm.sha256.digestInfo(digest: sha256)
            == derBytes("30 31 30 0D 06 09 60 86 48 01 65 03 04 02 01 05 00 04 20") + sha256)
        let sha1 = [UInt8](repeating: 0x22, count: 20)
        #expect(try DigestAlgorithm.sha1.digestInfo(digest: sha1) == derBytes("30 21 30 09 06 05 2B 0E 03 02 1A 05 00 04 14") + sha1)
        let sha512 = [UInt8](repeating: 0x33, count: 64)
        #expect(try DigestAlgorithm.sha512.digestInfo(digest: sha512)
            == derBytes("30 51 30 0D 06 09 60 86 48 01 65 03 04 02 03 05 00 04 40") + sha512)
        #expect(throws: DERError.self) { try DigestAlgorithm.sha256.digestInfo(digest: sha1) }
    }

    @Test("curve OIDs map both ways")
    func curves() {
        for curve in [Curve.p256, .p384, .p521] {
            #expect(curve.objectIdentifier.flatMap(Curve.init(objectIdentifier:)) == curve)
        }
        #expect(Curve.none.objectIdentifier == nil)
        #expect(Curve(objectIdentifier: .rsaEncryption) == nil)
    }
}
