import AlphaEmulator
import HalRPC
import HashSig

/// An RSA KEKEK made on the host, so a test can open and forge what the boards wrap.
struct HostKEKEK {
    let key: RSAPrivateKey
    let spki: [UInt8]

    init() throws {
        key = try RSAPrivateKey.generate(bits: 2048, publicExponent: [1, 0, 1])
        spki = try key.publicKey().subjectPublicKeyInfo()
    }

    /// The private key on a destination board, for PKEY_IMPORT.
    func onDestination(_ client: HSMClient) async throws -> PKey {
        try await client.loadKey(der: try key.privateKeyInfo(), flags: .keyEncipherment)
    }

    /// The public key on a source board, for PKEY_EXPORT.
    func onSource(_ client: HSMClient) async throws -> PKey {
        try await client.loadKey(der: spki, flags: .keyEncipherment)
    }

    /// The hashsig record inside an exported blob.
    func open(_ exported: RPC.PKeyExport.Reply) throws -> HashSigPrivateKeyRecord {
        try HashSigPrivateKeyRecord(privateKeyInfo: try KeyBackup.importKey(pkcs8: exported.pkcs8, kek: exported.kek, kekek: key))
    }

    /// `record` wrapped as a board would wrap it for this KEKEK.
    func wrap(_ record: HashSigPrivateKeyRecord) throws -> KeyBackup.Export {
        try KeyBackup.export(privateKeyInfo: record.privateKeyInfo, kekek: try RSAPublicKey(subjectPublicKeyInfo: spki))
    }
}
