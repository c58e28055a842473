import HalRPC

/// An EC key made on the board signs a digest. `endpoint` is the muxd's socket,
/// `.muxd(socketPath: "/tmp/.cryptech_muxd.rpc")`, or the board's own port,
/// `.serial(devicePath: "/dev/ttyUSB0", speed: 921_600)`. A board's refusal arrives as
/// `HSMClientError.device(status)`: `catch HSMClientError.device(.pinIncorrect) { … }`.
func signOnBoard(at endpoint: HSMEndpoint, pin: PIN, digest: [UInt8]) async throws -> (spki: [UInt8], signature: [UInt8]) {
    let client = HSMClient(endpoint: endpoint)
    do {
        try await client.login(user: .normal, pin: pin)
        let key = try await client.generateECKey(curve: .p256, flags: .digitalSignature)
        let signature = try await key.sign(digest)
        let spki = try await key.publicKey()  // DER SubjectPublicKeyInfo
        try await key.delete()
        await client.close()
        return (spki, signature)
    } catch {
        await client.close()
        throw error
    }
}
