import AlphaEmulator
import HalRPC
import Testing

/// ECDSA on P-256, P-384, P-521 (docs/wire-protocol.md §4.3): `r ‖ s` signatures of a digest.
@Suite("EC keys")
struct ECKeyRPCTests {
    static let keys: [(Curve, pkcs8: [UInt8], spki: [UInt8], digest: [UInt8], signature: [UInt8])] = [
        (.p256, CryptoFixtures.p256PKCS8, CryptoFixtures.p256SPKI, CryptoFixtures.p256Digest, CryptoFixtures.p256Signature),
        (.p384, CryptoFixtures.p384PKCS8, CryptoFixtures.p384SPKI, CryptoFixtures.p384Digest, CryptoFixtures.p384Signature),
        (.p521, CryptoFixtures.p521PKCS8, CryptoFixtures.p521SPKI, CryptoFixtures.p521Digest, CryptoFixtures.p521Signature),
    ]

    @Test("known vectors verify; sign/verify round trips; public key; curve")
    func vectors() async throws {
        let board = try Board.launch()
        defer { board.stop() }
        let client = try await board.loggedInClient()
        for (curve, pkcs8, spki, digest, signature) in Self.keys {
            let publicKey = try await client.loadKey(der: spki, flags: .digitalSignature)
            #expect(try await publicKey.keyType() == .ecPublic)
            #expect(try await publicKey.curve() == curve)
            #expect(try await publicKey.verify(digest, signature: signature), "\(curve) vector")
            var bad = signature
            bad[3] ^= 0x80
            #expect(try await !publicKey.verify(digest, signature: bad))

            let key = try await client.loadKey(der: pkcs8, flags: .digitalSignature)
            #expect(try await key.keyType() == .ecPrivate)
            #expect(try await key.publicKey() == spki)
            let fresh = try await key.sign(digest)
            #expect(fresh.count == (curve.signatureLength ?? 0))
            #expect(try await publicKey.verify(digest, signature: fresh))
            // With a hash handle the server finalizes the digest itself.
            let algorithm: DigestAlgorithm = curve == .p256 ? .sha256 : curve == .p384 ? .sha384 : .sha512
            let handle = try await client.digest(algorithm: algorithm)
            try await handle.update(CryptoFixtures.message)
            let viaHash = try await key.sign(digest: handle)
            #expect(try await publicKey.verify(digest, signature: viaHash))
        }
    }

    @Test("EC keygen on every curve; bad curve → 1")
    func generate() async throws {
        let board = try Board.launch()
        defer { board.stop() }
        let client = try await board.loggedInClient()
        for curve in [Curve.p256, .p384, .p521] {
            let key = try await client.generateECKey(curve: curve, flags: [.digitalSignature, .token])
            #expect(try await key.curve() == curve)
            let digest = [UInt8](repeating: 0x5A, count: 32)
            let signature = try await key.sign(digest)
            #expect(try await key.verify(digest, signature: signature))
            let publicKey = try await client.loadKey(der: try await key.publicKey(), flags: .digitalSignature)
            #expect(try await publicKey.verify(digest, signature: signature))
        }
        for curve in [Curve.none, Curve(rawValue: 4)] {
            #expect(await status { _ = try await client.generateECKey(curve: curve, flags: .digitalSignature) } == .badArguments)
        }
        #expect(await status { _ = try await client.generateECKey(curve: .p256, flags: KeyFlags(rawValue: 0x80)) } == .badArguments)
    }
}
