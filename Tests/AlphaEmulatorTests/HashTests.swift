import AlphaEmulator
import HalRPC
import Testing

/// HASH_* over the RPC (docs/wire-protocol.md §4.3, §7): NIST and RFC 2202/4231 vectors, the firmware's
/// quirks and limits. The crypto engineer's known-answer tests cover the primitives; these
/// go through the tty.
@Suite("Hash and HMAC functions")
struct HashTests {
    static let twoBlock = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)

    static let vectors: [(DigestAlgorithm, abc: String, twoBlock: String)] = [
        (.sha1, "a9993e364706816aba3e25717850c26c9cd0d89d", "84983e441c3bd26ebaae4aa1f95129e5e54670f1"),
        (.sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        (.sha384, "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7",
         "3391fdddfc8dc7393707a65b1b4709397cf8b1d162af05abfe8f450de5f36bc6b0455a8520bc4e6f5fe95b1fe3c8452b"),
        (.sha512, "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
         "204a8fc6dda82f0a0ced7beb8e08a41657c16ef468b228a8279be331a703c33596fd15c13b1b07f9aa1d3bea57789ca031ad85c7a71dd70354ec631238ca3445"),
        (.sha512_224, "4634270f707b6a54daae7530460842e20e37ed265ceee9a43e8924aa",
         "e5302d6d54bb242275d1e7622d68df6eb02dedd13f564c13dbda2174"),
        (.sha512_256, "53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23",
         "bde8e1f9f19bb9fd3406c90ec6bc47bd36d8ada9f11880dbc8a22a7078b6a461"),
    ]

    @Test("SHA-1 and SHA-2 on the NIST vectors, in one and in several updates")
    func nistVectors() async throws {
        let board = try Board.launch()
        defer { board.stop() }
        let client = board.client()
        for (algorithm, abc, twoBlock) in Self.vectors {
            let length = try await client.hashGetDigestLength(algorithm: algorithm)
            #expect(length == hex(abc).count)
            let one = try await client.hashInitialize(algorithm: algorithm)
            #expect(try await client.hashGetAlgorithm(hash: one) == algorithm)
            try await client.hashUpdate(hash: one, data: Array("abc".utf8))
            #expect(try await client.hashFinalize(hash: one, length: length) == hex(abc), "\(algorithm)")
            let split = try await client.hashInitialize(algorithm: algorithm)
            for chunk in stride(from: 0, to: Self.twoBlock.count, by: 7) {
                try await client.hashUpdate(hash: split, data: Array(Self.twoBlock[chunk..<min(chunk + 7, Self.twoBlock.count)]))
            }
            #expect(try await client.hashFinalize(hash: split, length: length) == hex(twoBlock), "\(algorithm)")
        }
    }

    static let hmacVectors: [(DigestAlgorithm, key: [UInt8], data: String, mac: String)] = [
        // RFC 2202 §3 test cases 1, 2, 6.
        (.sha1, [UInt8](repeating: 0x0B, count: 20), "Hi There", "b617318655057264e28bc0b6fb378c8ef146be00"),
        (.sha1, Array("Jefe".utf8), "what do ya want for nothing?", "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"),
        (.sha1, [UInt8](repeating: 0xAA, count: 80), "Test Using Larger Than Block-Size Key - Hash Key First",
         "aa4ae5e15272d00e95705637ce8a3b55ed402112"),
        // RFC 4231 §4.2, 4.3, 4.7.
        (.sha256, [UInt8](repeating: 0x0B, count: 20), "Hi There", "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        (.sha256, Array("Jefe".utf8), "what do ya want for nothing?", "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        (.sha256, [UInt8](repeating: 0xAA, count: 131), "Test Using Larger Than Block-Size Key - Hash Key First",
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        (.sha384, [UInt8](repeating: 0x0B, count: 20), "Hi There",
         "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6"),
        (.sha384, Array("Jefe".utf8), "what do ya want for nothing?",
         "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649"),
        (.sha384, [UInt8](repeating: 0xAA, count: 131), "Test Using Larger Than Block-Size Key - Hash Key First",
         "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c60c2ef6ab4030fe8296248df163f44952"),
        (.sha512, [UInt8](repeating: 0x0B, count: 20), "Hi There",
         "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854"),
        (.sha512, Array("Jefe".utf8), "what do ya want for nothing?",
         "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"),
        (.sha512, [UInt8](repeating: 0xAA, count: 131), "Test Using Larger Than Block-Size Key - Hash Key First",
         "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598"),
    ]

    @Test("HMAC-SHA-1/256/384/512 on the RFC 2202 and RFC 4231 vectors")
    func hmacVectors() async throws {
        let board = try Board.launch()
        defer { board.stop() }
        let client = board.client()
        for (algorithm, key, data, mac) in Self.hmacVectors {
            let handle = try await client.hashInitialize(algorithm: algorithm, key: key)
            #expect(handle.rawValue & 0x8000_0000 != 0, "HMAC handles carry the top bit")
            try await client.hashUpdate(hash: handle, data: Array(data.utf8))
            #expect(try await client.hashFinalize(hash: handle, length: hex(mac).count) == hex(mac), "\(algorithm) \(data)")
        }
    }

    @Test("algorithm identifiers and lengths as the firmware returns them; SHA-224 and unknown → 1")
    func algorithmIdentifiers() async throws {
        let board = try Board.launch()
        defer { board.stop() }
        let client = board.client()
        let expected: [(DigestAlgorithm, String)] = [
            (.sha1, "30 09 06 05 2B 0E 03 02 1A 05 00"),
            (.sha256, "30 0D 06 09 60 86 48 01 65 03 04 02 01 05 00"),
            (.sha384, "30 0D 06 09 60 86 48 01 65 03 04 02 02 05 00"),
            (.sha512, "30 0D 06 09 60 86 48 01 65 03 04 02 03 05 00"),
            (.sha512_224, "30 0D 06 09 60 86 48 01 65 03 04 02 05 05 00"),
            (.sha512_256, "30 0D 06 09 60 86 48 01 65 03 04 02 06 05 00"),
        ]
        for (algorithm, der) in expected {
            #expect(try await client.hashGetDigestAlgorithmID(algorithm: algorithm) == hex(der))
            #expect(try await client.hashGetDigestAlgorithmIDLength(algorithm: algorithm) == hex(der).count)
        }
        #expect(await status { _ = try await client.hashGetDigestAlgorithmID(algorithm: .sha256, maximumLength: 14) } == .resultTooLong)
        let overflow = RPC.HashGetDigestAlgorithmID.Request(algorithm: .sha256, maximumLength: 16369)
        #expect(await status { _ = try await client.perform(RPC.HashGetDigestAlgorithmID.self, overflow) } == .rpcPacketOverflow)
        for bad in [DigestAlgorithm.none, .sha224, DigestAlgorithm(rawValue: 8)] {
            #expect(await status { _ = try await client.hashGetDigestLength(algorithm: bad) } == .badArguments)
            #expect(await status { _ = try await client.hashGetDigestAlgorithmID(algorithm: bad) } == .badArguments)
            #expect(await status { _ = try await client.hashInitialize(algorithm: bad) } == .badArguments)
        }
    }

    @Test("bad handles → 1; HASH_FINALIZE quirks: length 0 keeps the handle, short frees it, long pads with zeros")
    func handleErrors() async throws {
        let board = try Board.launch()
        defer { board.stop() }
        let client = board.client()
        let bogus = HashHandle(rawValue: 0x0005_0003)
        #expect(await status { _ = try await client.hashGetAlgorithm(hash: .noHandle) } == .badArguments)
        #expect(await status { _ = try await client.hashGetAlgorithm(hash: bogus) } == .badArguments)
        #expect(await status { try await client.hashUpdate(hash: bogus, data: [1]) } == .badArguments)
        #expect(await status { _ = try await client.hashFinalize(hash: bogus, length: 32) } == .badArguments)

        let handle = try await client.hashInitialize(algorithm: .sha256)
        try await client.hashUpdate(hash: handle, data: [])
        #expect(await status { _ = try await client.perform(RPC.HashFinalize.self, .init(hash: handle, length: 0)) } == .badArguments)
        #expect(await status { _ = try await client.perform(RPC.HashFinalize.self, .init(hash: handle, length: 16369)) } == .rpcPacketOverflow)
        try await client.hashUpdate(hash: handle, data: Array("abc".utf8))
        let padded = try await client.hashFinalize(hash: handle, length: 40)
        #expect(padded == hex(Self.vectors[1].abc) + [UInt8](repeating: 0, count: 8))
        #expect(await status { _ = try await client.hashGetAlgorithm(hash: handle) } == .badArguments, "freed after finalize")

        let short = try await client.hashInitialize(algorithm: .sha256)
        #expect(await status { _ = try await client.hashFinalize(hash: short, length: 31) } == .badArguments)
        #expect(await status { _ = try await client.hashGetAlgorithm(hash: short) } == .badArguments, "freed anyway")
    }

    @Test("32 hash and 16 HMAC slots; one more → 13; finalize frees a slot")
    func slots() async throws {
        let board = try Board.launch()
        defer { board.stop() }
        let client = board.client()
        var hashes: [HashHandle] = []
        for _ in 0..<32 { hashes.append(try await client.hashInitialize(algorithm: .sha1)) }
        #expect(Set(hashes).count == 32)
        #expect(await status { _ = try await client.hashInitialize(algorithm: .sha1) } == .allocationFailure)
        var hmacs: [HashHandle] = []
        for _ in 0..<16 { hmacs.append(try await client.hashInitialize(algorithm: .sha256, key: [1, 2, 3])) }
        #expect(await status { _ = try await client.hashInitialize(algorithm: .sha256, key: [1]) } == .allocationFailure)
        _ = try await client.hashFinalize(hash: hashes[0], length: 20)
        _ = try await client.hashInitialize(algorithm: .sha1)
    }

    @Test("25,000 HASH_UPDATE calls on one handle")
    func manyUpdates() async throws {
        let board = try Board.launch()
        defer { board.stop() }
        let client = board.client()
        let handle = try await client.hashInitialize(algorithm: .sha256)
        let chunk = [UInt8](repeating: 0x61, count: 40)
        for _ in 0..<25_000 { try await client.hashUpdate(hash: handle, data: chunk) }
        // 25,000 × 40 = 1,000,000 × "a": FIPS 180-2's long-message vector.
        #expect(try await client.hashFinalize(hash: handle, length: 32)
                == hex("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"))
    }
}
