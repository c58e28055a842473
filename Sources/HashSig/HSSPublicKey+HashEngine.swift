extension HSS.PublicKey {
    /// Verifies an encoded HSS signature with the given SHA-256 engine (RFC 8554 §6.3), for
    /// example the Alpha board's hash cores.
    ///
    /// With ``OpenSSLHashEngine`` this is the synchronous fast path. With any other engine every
    /// hash of RFC 8554 goes through it, and each Winternitz step is sent as one batch over all
    /// chains still running (about 15 batches for W4, 255 for W8, per level).
    /// - Returns: ``VerificationResult/valid``, or why a well-formed signature does not verify.
    /// - Throws: ``HashSigError`` for a malformed signature; whatever the engine throws.
    public func verify(signature: [UInt8], for message: [UInt8],
                       using engine: some HashEngine) async throws -> VerificationResult {
        switch try parse(signature: signature) {
        case .mismatch(let reason):
            return .invalid(reason)
        case .parsed(let parsed):
            return try await verify(parsed, for: message, using: engine)
        }
    }

    /// Verifies a parsed HSS signature with the given SHA-256 engine; see
    /// ``verify(signature:for:using:)``.
    public func verify(_ signature: HSS.Signature, for message: [UInt8],
                       using engine: some HashEngine) async throws -> VerificationResult {
        if engine is OpenSSLHashEngine {
            return verify(signature, for: message)
        }
        guard signature.levels == levels else {
            return .invalid(.levelCountMismatch(publicKey: levels, signature: signature.levels))
        }
        var key = topPublicKey
        for (level, signed) in signature.signedPublicKeys.enumerated() {
            let result = try await key.verify(signed.signature, for: signed.publicKey.bytes, level: level,
                                              using: engine)
            guard result.isValid else { return result }
            key = signed.publicKey
        }
        return try await key.verify(signature.messageSignature, for: message, level: levels - 1, using: engine)
    }
}
