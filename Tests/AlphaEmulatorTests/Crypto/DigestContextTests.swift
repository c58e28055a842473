import HalRPC
import Testing
@testable import AlphaEmulator

private func h(_ text: String) -> [UInt8] { CryptoFixtures.bytes(text) }

private let abc = Array("abc".utf8)
private let message448 = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
private let message896 = Array(
    "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu".utf8)

@Suite("DigestContext: SHA family and HMAC")
struct DigestContextTests {
    /// FIPS 180-4 example values (NIST CSRC "Examples with intermediate values"): "abc", the
    /// 448-bit and 896-bit two-block messages and the empty string.
    @Test("NIST known answers", arguments: [
        (DigestAlgorithm.sha1, abc, "a9993e364706816aba3e25717850c26c9cd0d89d"),
        (.sha1, message448, "84983e441c3bd26ebaae4aa1f95129e5e54670f1"),
        (.sha1, [], "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
        (.sha224, abc, "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7"),
        (.sha224, message448, "75388b16512776cc5dba5da1fd890150b0c6455cb4f58b1952522525"),
        (.sha256, abc, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (.sha256, message448, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        (.sha256, [], "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        (.sha384, abc, "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7"),
        (.sha384, message896, "09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712fcc7c71a557e2db966c3e9fa91746039"),
        (.sha512, abc,
         "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"),
        (.sha512, message896,
         "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909"),
        (.sha512_224, abc, "4634270f707b6a54daae7530460842e20e37ed265ceee9a43e8924aa"),
        (.sha512_224, message896, "23fec5bb94d60b23308192640b0c453335d664734fe40e7268674af9"),
        (.sha512_256, abc, "53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23"),
        (.sha512_256, message896, "3928e184fb8690f840da3988121d31be65cb9d3ef83ee6146feac861e19b563a"),
    ])
    func knownAnswers(algorithm: DigestAlgorithm, message: [UInt8], expected: String) throws {
        #expect(try DigestContext.hash(algorithm, message) == h(expected))
        #expect(try DigestContext(algorithm: algorithm).digestLength == algorithm.digestLength)
    }

    /// One million 'a', fed in uneven chunks across many updates (FIPS 180-4 long message).
    @Test("one million 'a' in uneven updates", arguments: [
        (DigestAlgorithm.sha1, "34aa973cd4c4daa4f61eeb2bdbad27316534016f"),
        (.sha256, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"),
        (.sha384, "9d0e1809716474cb086e834e310a4a1ced149e9c00f248527972cec5704c2a5b07b8b3dc38ecc4ebae97ddd87f3d8985"),
        (.sha512,
         "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973ebde0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b"),
    ])
    func millionA(algorithm: DigestAlgorithm, expected: String) throws {
        let context = try DigestContext(algorithm: algorithm)
        var remaining = 1_000_000
        var chunk = 1
        while remaining > 0 {
            let size = min(chunk, remaining)
            try context.update([UInt8](repeating: 0x61, count: size))
            remaining -= size
            chunk = chunk * 3 % 9973 + 1
        }
        try context.update([])
        #expect(try context.finalize() == h(expected))
    }

    @Test("HMAC-SHA-1, RFC 2202 test cases", arguments: [
        (h("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"), Array("Hi There".utf8), "b617318655057264e28bc0b6fb378c8ef146be00"),
        (Array("Jefe".utf8), Array("what do ya want for nothing?".utf8), "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"),
        ([UInt8](repeating: 0xAA, count: 20), [UInt8](repeating: 0xDD, count: 50), "125d7342b9ac11cd91a39af48aa17b4f63f175d3"),
        (Array(1...25), [UInt8](repeating: 0xCD, count: 50), "4c9007f4026250c6bc8414f9bf50c86c2d7235da"),
        ([UInt8](repeating: 0x0C, count: 20), Array("Test With Truncation".utf8), "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04"),
        ([UInt8](repeating: 0xAA, count: 80), Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
         "aa4ae5e15272d00e95705637ce8a3b55ed402112"),
        ([UInt8](repeating: 0xAA, count: 80), Array("Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data".utf8),
         "e8e99d0f45237d786d6bbaa7965c7808bbff1a91"),
    ] as [([UInt8], [UInt8], String)])
    func hmacSHA1(key: [UInt8], data: [UInt8], expected: String) throws {
        #expect(try DigestContext.hmac(.sha1, key: key, data) == h(expected))
    }

    /// RFC 4231 §4.2-4.8 (test case 5 compares the first 128 bits, as the RFC does).
    @Test("HMAC-SHA-256/384/512, RFC 4231 test cases", arguments: RFC4231Vectors.cases)
    func hmacSHA2(testCase: RFC4231Vectors.Case) throws {
        for (algorithm, expected) in [(DigestAlgorithm.sha256, testCase.sha256), (.sha384, testCase.sha384), (.sha512, testCase.sha512)] {
            let mac = try DigestContext.hmac(algorithm, key: testCase.key, testCase.data)
            let wanted = h(expected)
            #expect(Array(mac.prefix(wanted.count)) == wanted, "\(algorithm) case \(testCase.number)")
            #expect(mac.count == algorithm.digestLength)
        }
    }

    @Test("incremental HMAC equals one-shot; an empty key is an HMAC key")
    func incrementalHMAC() throws {
        let context = try DigestContext(algorithm: .sha256, hmacKey: Array("Jefe".utf8))
        #expect(context.isHMAC)
        for piece in ["what do ya", " want ", "", "for nothing?"] { try context.update(Array(piece.utf8)) }
        #expect(try context.finalize() == h("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"))
        // HMAC-SHA256 with an empty key and empty message (computed with Python's hmac module).
        #expect(try DigestContext.hmac(.sha256, key: [], [])
            == h("b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad"))
    }

    @Test("single use, and no context for none or unknown codes")
    func misuse() throws {
        let context = try DigestContext(algorithm: .sha1)
        _ = try context.finalize()
        #expect(throws: CryptoError.self) { try context.finalize() }
        #expect(throws: CryptoError.self) { try context.update([1]) }
        #expect(throws: CryptoError.self) { try DigestContext(algorithm: .none) }
        #expect(throws: CryptoError.self) { try DigestContext(algorithm: DigestAlgorithm(rawValue: 99), hmacKey: [1]) }
        #expect((try? DigestContext(algorithm: .none)) == nil)
        let error = CryptoError.invalidArgument("x")
        #expect(error.halError == .badArguments)
    }

    @Test("RPC availability and block lengths (docs/wire-protocol.md §5.2)")
    func rpcTable() {
        let served: [DigestAlgorithm] = [.sha1, .sha256, .sha512_224, .sha512_256, .sha384, .sha512]
        for algorithm in served { #expect(algorithm.isServedByHashRPC, "\(algorithm)") }
        for algorithm in [DigestAlgorithm.none, .sha224, DigestAlgorithm(rawValue: 8)] { #expect(!algorithm.isServedByHashRPC) }
        #expect([DigestAlgorithm.sha1, .sha224, .sha256].map(\.blockLength) == [64, 64, 64])
        #expect([DigestAlgorithm.sha512_224, .sha512_256, .sha384, .sha512].map(\.blockLength) == [128, 128, 128, 128])
    }

    @Test("finalizeDigestInfo builds the §7 DigestInfo")
    func digestInfo() throws {
        let context = try DigestContext(algorithm: .sha256)
        try context.update(CryptoFixtures.message)
        #expect(try context.finalizeDigestInfo() == CryptoFixtures.sha256DigestInfo)
        let hmac = try DigestContext(algorithm: .sha256, hmacKey: [1])
        #expect(throws: CryptoError.self) { try hmac.finalizeDigestInfo() }
    }
}

/// RFC 4231 test cases 1-7 (all three lengths each).
enum RFC4231Vectors {
    struct Case: Sendable, CustomTestStringConvertible {
        let number: Int
        let key: [UInt8]
        let data: [UInt8]
        let sha256: String
        let sha384: String
        let sha512: String
        var testDescription: String { "RFC 4231 test case \(number)" }
    }

    static let cases: [Case] = [
        Case(number: 1, key: [UInt8](repeating: 0x0B, count: 20), data: Array("Hi There".utf8),
             sha256: "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
             sha384: "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6",
             sha512: "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854"),
        Case(number: 2, key: Array("Jefe".utf8), data: Array("what do ya want for nothing?".utf8),
             sha256: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
             sha384: "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649",
             sha512: "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"),
        Case(number: 3, key: [UInt8](repeating: 0xAA, count: 20), data: [UInt8](repeating: 0xDD, count: 50),
             sha256: "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
             sha384: "88062608d3e6ad8a0aa2ace014c8a86f0aa635d947ac9febe83ef4e55966144b2a5ab39dc13814b94e3ab6e101a34f27",
             sha512: "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb"),
        Case(number: 4, key: Array(1...25), data: [UInt8](repeating: 0xCD, count: 50),
             sha256: "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
             sha384: "3e8a69b7783c25851933ab6290af6ca77a9981480850009cc5577c6e1f573b4e6801dd23c4a7d679ccf8a386c674cffb",
             sha512: "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3dba91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd"),
        Case(number: 5, key: [UInt8](repeating: 0x0C, count: 20), data: Array("Test With Truncation".utf8),
             sha256: "a3b6167473100ee06e0c796c2955552b", sha384: "3abf34c3503b2a23a46efc619baef897",
             sha512: "415fad6271580a531d4179bc891d87a6"),
        Case(number: 6, key: [UInt8](repeating: 0xAA, count: 131), data: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
             sha256: "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
             sha384: "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c60c2ef6ab4030fe8296248df163f44952",
             sha512: "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598"),
        Case(number: 7, key: [UInt8](repeating: 0xAA, count: 131),
             data: Array("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.".utf8),
             sha256: "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
             sha384: "6617178e941f020d351e2f254e8fd32c602420feb0b8fb9adccebb82461e99c5a678cc31e799176d3860e6110c46523e",
             sha512: "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58"),
    ]
}
