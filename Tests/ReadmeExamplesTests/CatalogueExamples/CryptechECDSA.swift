import CryptechECDSA

/// `spki` is the key's SubjectPublicKeyInfo from PKEY_GET_PUBLIC_KEY, `signature` what
/// PKEY_SIGN answered for `digest`.
func boardSigned(_ digest: [UInt8], signature: [UInt8], spki: [UInt8]) throws -> Bool {
    try ECDSAVerifier.isValid(signature, digest: digest, subjectPublicKeyInfo: spki, orderLength: 32)
}
