import Testing
@testable import HalRPC

@Suite("HashSigPublicKeyInfo (docs/wire-protocol.md §8.2)")
struct HashSigPublicKeyInfoTests {
    @Test("RFC 8554 test case 1 as the board encodes it: parse and re-encode")
    func goldenTestCase1() throws {
        let info = try HashSigPublicKeyInfo(der: testCase1HashSigSPKI)
        #expect(info.levels == 2)
        #expect(info.lmsType == .sha256N32H5)
        #expect(info.lmotsType == .sha256N32W8)
        #expect(info.identifier == derBytes("61A5D57D37F5E46BFB7520806B07A1B8"))
        #expect(info.root == derBytes("50650E3B31FE4A773EA29A07F09CF2EA30E579F0DF58EF8E298DA0434CB2B878"))
        #expect(info.der == testCase1HashSigSPKI)
        #expect(info.der.count == HashSigPublicKeyInfo.derLength)
    }

    @Test("conversion to and from the 60-byte RFC 8554 public key")
    func rawForm() throws {
        let info = try HashSigPublicKeyInfo(rawPublicKey: testCase1RawHSSPublicKey)
        #expect(info.der == testCase1HashSigSPKI)
        #expect(try HashSigPublicKeyInfo(der: testCase1HashSigSPKI).rawPublicKey == testCase1RawHSSPublicKey)
        #expect(throws: DERError.self) { try HashSigPublicKeyInfo(rawPublicKey: Array(testCase1RawHSSPublicKey.dropLast())) }
        #expect(throws: DERError.self) { try HashSigPublicKeyInfo(rawPublicKey: testCase1RawHSSPublicKey + [0]) }
    }

    @Test("every defined parameter set encodes to 85 bytes")
    func allParameterSets() throws {
        for levels in UInt32(1)...8 {
            for lms in UInt32(5)...9 {
                for lmots in UInt32(1)...4 {
                    let info = try HashSigPublicKeyInfo(
                        levels: levels, lmsType: LMSTypeCode(rawValue: lms), lmotsType: LMOTSTypeCode(rawValue: lmots),
                        identifier: [UInt8](repeating: 0xA5, count: 16), root: [UInt8](repeating: 0x5A, count: 32))
                    #expect(info.der.count == 85)
                    #expect(try HashSigPublicKeyInfo(der: info.der) == info)
                }
            }
        }
    }

    @Test("absent parameters are accepted, as the reference does at load")
    func absentParameters() throws {
        // Drop `05 00` and fix the two outer lengths.
        var der = testCase1HashSigSPKI
        der.removeSubrange(17..<19)
        der[1] = 0x51
        der[3] = 0x0D
        let info = try HashSigPublicKeyInfo(der: der)
        #expect(info.der == testCase1HashSigSPKI)
    }

    @Test("other parameters, another OID, a raw RFC 8708 key are refused")
    func refused() {
        var otherParameters = testCase1HashSigSPKI
        otherParameters[17] = 0x04  // `04 00`: an empty OCTET STRING instead of NULL
        #expect(throws: DERError.self) { try HashSigPublicKeyInfo(der: otherParameters) }

        var otherOID = testCase1HashSigSPKI
        otherOID[16] = 0x12
        #expect(throws: DERError.self) { try HashSigPublicKeyInfo(der: otherOID) }

        let rfc8708 = DER.SubjectPublicKeyInfo(
            algorithm: DER.AlgorithmIdentifier(.mtsHashSig, parameters: .absent), publicKey: testCase1RawHSSPublicKey).der
        #expect(throws: DERError.self) { try HashSigPublicKeyInfo(der: rfc8708) }
    }

    @Test("truncation at every offset throws")
    func truncations() {
        for length in 0..<testCase1HashSigSPKI.count {
            #expect(throws: DERError.self, "length \(length)") {
                try HashSigPublicKeyInfo(der: Array(testCase1HashSigSPKI.prefix(length)))
            }
        }
    }

    @Test("trailing bytes after the SPKI or inside the BIT STRING throw")
    func trailing() {
        #expect(throws: DERError.trailingBytes(offset: 85, count: 1)) { try HashSigPublicKeyInfo(der: testCase1HashSigSPKI + [0]) }

        // One extra byte at the end of the BIT STRING, with every enclosing length grown by one.
        var inner = testCase1HashSigSPKI
        inner.append(0x00)
        inner[1] += 1
        inner[20] += 1
        #expect(throws: DERError.self) { try HashSigPublicKeyInfo(der: inner) }
    }

    @Test("I and T1 of the wrong length throw")
    func fieldLengths() {
        #expect(throws: DERError.self) {
            try HashSigPublicKeyInfo(levels: 1, lmsType: .sha256N32H5, lmotsType: .sha256N32W8, identifier: [0], root: [UInt8](repeating: 0, count: 32))
        }
        #expect(throws: DERError.self) {
            try HashSigPublicKeyInfo(levels: 1, lmsType: .sha256N32H5, lmotsType: .sha256N32W8, identifier: [UInt8](repeating: 0, count: 16), root: [0])
        }
    }

    @Test("every single-byte corruption throws or yields a different key, never traps")
    func corruption() {
        for index in testCase1HashSigSPKI.indices {
            for bit in 0..<8 {
                var der = testCase1HashSigSPKI
                der[index] ^= 1 << bit
                if let info = try? HashSigPublicKeyInfo(der: der) {
                    #expect(info.der != testCase1HashSigSPKI)
                }
            }
        }
    }
}
