import AlphaEmulator
import HalRPC

/// Hashes, HMAC, RSA and EC through the RPC, each answer checked on the host with OpenSSL
/// (the software Alpha's crypto backend, used here as the host's reference).
enum CryptoTests {
    /// A message longer than one HASH_UPDATE, with every byte value.
    static let message: [UInt8] = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 8) }

    @Sendable static func hash(_ context: HILContext) async throws {
        let client = try await context.target.client(0)
        for algorithm in [DigestAlgorithm.sha1, .sha256, .sha384, .sha512] {
            for input in [Array("abc".utf8), message] {
                // Two updates: the board's hash state carries over between calls.
                try await LossyLinks.checkedDigest(client, algorithm, parts: [Array(input.prefix(input.count / 2)), Array(input.dropFirst(input.count / 2))],
                                                   what: "\(algorithm) of \(input.count) bytes", context)
            }
        }
        let key = Array("hil hmac key, 32 bytes long.....".utf8)
        try await LossyLinks.checkedDigest(client, .sha256, hmacKey: key, parts: [message], what: "HMAC-SHA-256", context)
        context.log("SHA-1, SHA-256, SHA-384, SHA-512 of 3 and \(message.count) bytes and HMAC-SHA-256 agree with the host")
    }

    @Sendable static func rsa(_ context: HILContext) async throws {
        let client = try await context.target.client(0)
        try await deleting(try await client.generateRSAKey(keyLength: 2048, flags: .digitalSignature)) { key in
            // PKCS#1 v1.5 over a SHA-256 DigestInfo made on the host...
            let host = try DigestContext(algorithm: .sha256)
            try host.update(message)
            let digestInfo = try host.finalizeDigestInfo()
            let signature = try await key.sign(digestInfo)
            try check(signature.count == 256, "a 2048-bit signature of \(signature.count) bytes")
            // ...and from a hash the board computed: RSA signing is deterministic, so the same.
            let digest = try await client.digest(algorithm: .sha256)
            try await digest.update(message)
            try check(try await key.sign(digest: digest) == signature, "signing the board's own hash gave another signature")

            let spki = try await key.publicKey()
            let publicKey = try RSAPublicKey(subjectPublicKeyInfo: spki)
            try check(try publicKey.isValidSignature(signature, digestInfo: digestInfo), "the host rejects the board's signature")
            try check(try await key.verify(digestInfo, signature: signature), "the board rejects its own signature")
            try await verifyWithPublicKey(client, spki: spki, input: digestInfo, signature: signature)
            var changed = signature
            changed[100] ^= 0x01
            try check(try !publicKey.isValidSignature(changed, digestInfo: digestInfo), "the host accepts a changed signature")
            try check(try await !key.verify(digestInfo, signature: changed), "the board accepts a changed signature")
        }
    }

    @Sendable static func ec(_ context: HILContext) async throws {
        let client = try await context.target.client(0)
        for (curve, algorithm) in [(Curve.p256, DigestAlgorithm.sha256), (.p384, .sha384)] {
            try await deleting(try await client.generateECKey(curve: curve, flags: .digitalSignature)) { key in
                let digest = try DigestContext.hash(algorithm, message)
                let signature = try await key.sign(digest)
                try check(signature.count == curve.signatureLength, "\(curve): a signature of \(signature.count) bytes")
                let spki = try await key.publicKey()
                let publicKey = try ECPublicKey(subjectPublicKeyInfo: spki)
                try check(try publicKey.isValidSignature(signature, digest: digest), "\(curve): the host rejects the board's signature")
                try check(try await key.verify(digest, signature: signature), "\(curve): the board rejects its own signature")
                try await verifyWithPublicKey(client, spki: spki, input: digest, signature: signature)
                var changed = signature
                changed[signature.count / 4] ^= 0x80
                try check(try !publicKey.isValidSignature(changed, digest: digest), "\(curve): the host accepts a changed signature")
                try check(try await !key.verify(digest, signature: changed), "\(curve): the board accepts a changed signature")
            }
        }
    }

    /// The public key loaded on the board by itself (PKEY_LOAD of the SPKI) verifies too.
    static func verifyWithPublicKey(_ client: HSMClient, spki: [UInt8], input: [UInt8], signature: [UInt8]) async throws {
        let loaded = try await client.loadKey(der: spki, flags: .digitalSignature)
        do {
            try check(try await loaded.verify(input, signature: signature), "the board's public key alone rejects the signature")
            try await loaded.delete()
        } catch {
            try? await loaded.delete()
            throw error
        }
    }
}
