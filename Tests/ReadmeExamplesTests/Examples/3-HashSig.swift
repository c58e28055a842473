import HashSig

/// An RFC 8554 HSS key in software: generate, sign (the state moves on, so no one-time key
/// is used twice), verify.
func hashsigInSoftware(message: [UInt8]) throws -> Bool {
    let level = LMS.Parameters(.sha256M32H5, .sha256N32W4)
    let key = try HSS.PrivateKey.generate(levels: [level, level])
    let signature = try key.sign(message)
    // key.serializedRepresentation is the state to store before the signature leaves.
    return key.publicKey.isValidSignature(signature, for: message)
}
