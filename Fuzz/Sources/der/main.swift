import FuzzDriver
import HalRPC

// Every DER structure a peer hands the host or the board. What decodes must re-encode to DER
// that decodes the same (byte for byte for the structures that skip and default nothing).
Fuzzer.run(seeds: {
    let ec = DER.SubjectPublicKeyInfo(
        algorithm: .init(.ecPublicKey, parameters: .objectIdentifier(.prime256v1)), publicKey: [0x04] + Array(repeating: 0x5A, count: 64))
    let privateKey = DER.PrivateKeyInfo(
        algorithm: .init(.ecPublicKey, parameters: .objectIdentifier(.secp384r1)), privateKey: Array(repeating: 0x30, count: 40))
    let wrapped = DER.EncryptedPrivateKeyInfo(algorithm: .init(.aes256WrapPad, parameters: .absent), encryptedData: Array(repeating: 0xE7, count: 48))
    let hashsig = try HashSigPublicKeyInfo(
        levels: 2, lmsType: LMSTypeCode(rawValue: 5), lmotsType: LMOTSTypeCode(rawValue: 4),
        identifier: Array(repeating: 0x61, count: 16), root: Array(repeating: 0x50, count: 32))
    return [ec.der, privateKey.der, wrapped.der, hashsig.der]
}) { bytes in
    if let value = try? DER.SubjectPublicKeyInfo(der: bytes) {
        precondition(value.der == bytes, "SubjectPublicKeyInfo does not re-encode to its bytes")
    }
    if let value = try? DER.PrivateKeyInfo(der: bytes) {
        precondition((try? DER.PrivateKeyInfo(der: value.der)) == value, "PrivateKeyInfo does not round-trip")
    }
    if let value = try? DER.EncryptedPrivateKeyInfo(der: bytes) {
        precondition(value.der == bytes, "EncryptedPrivateKeyInfo does not re-encode to its bytes")
    }
    if let value = try? HashSigPublicKeyInfo(der: bytes) {
        precondition((try? HashSigPublicKeyInfo(der: value.der)) == value, "HashSigPublicKeyInfo does not round-trip")
    }
}
