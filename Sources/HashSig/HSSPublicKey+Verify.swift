extension HSS.PublicKey {
    /// Verifies an encoded HSS signature over `message`, parsing it in the order of RFC 8554 §6.3:
    /// the level count first, then each level with its types checked against the key it must
    /// verify under, then the exact length, then the hashes.
    ///
    /// Runs on the calling thread with the OpenSSL fast path (about 45 µs for L = 2, H10/W4);
    /// to verify with another ``HashEngine``, use ``verify(signature:for:using:)``.
    /// - Returns: ``VerificationResult/valid``, or why a well-formed signature does not verify.
    /// - Throws: ``HashSigError`` if the signature is malformed: an unknown type, a wrong length,
    ///   trailing bytes, q ≥ 2^h.
    public func verify(signature: [UInt8],
                       for message: some Collection<UInt8>) throws(HashSigError) -> VerificationResult {
        switch try parse(signature: signature) {
        case .mismatch(let reason): .invalid(reason)
        case .parsed(let parsed): verify(parsed, for: message)
        }
    }

    /// Verifies a parsed HSS signature over `message` (RFC 8554 §6.3).
    /// - Returns: ``VerificationResult/valid``, or the first reason it does not verify.
    public func verify(_ signature: HSS.Signature, for message: some Collection<UInt8>) -> VerificationResult {
        guard signature.levels == levels else {
            return .invalid(.levelCountMismatch(publicKey: levels, signature: signature.levels))
        }
        return Workspace.with(holdsSecrets: false) { workspace in
            var key = topPublicKey
            for (level, signed) in signature.signedPublicKeys.enumerated() {
                let result = signed.publicKey.bytes.withUnsafeBytes { encoded in
                    key.verify(signed.signature, message: encoded, level: level, workspace)
                }
                guard result.isValid else { return result }
                key = signed.publicKey
            }
            return withContiguousBytes(message) { bytes in
                key.verify(signature.messageSignature, message: bytes, level: levels - 1, workspace)
            }
        }
    }

    /// Whether `signature` is a valid HSS signature over `message`; malformed signatures are
    /// simply not valid.
    public func isValidSignature(_ signature: [UInt8], for message: some Collection<UInt8>) -> Bool {
        (try? verify(signature: signature, for: message))?.isValid ?? false
    }

    /// Whether `signature` is a valid HSS signature over `message`.
    public func isValidSignature(_ signature: HSS.Signature, for message: some Collection<UInt8>) -> Bool {
        verify(signature, for: message).isValid
    }

    /// RFC 8554 §6.3, parsing: Nspk against L, then every level against the key above it.
    func parse(signature: [UInt8]) throws(HashSigError) -> HSS.Signature.ParseOutcome {
        var reader = ByteReader(signature, field: .hssSignature)
        let nspk = try reader.readUInt32()
        // Step 2: Nspk + 1 must equal L; compare in 64 bits so Nspk = 2^32 - 1 cannot wrap.
        guard UInt64(nspk) + 1 == UInt64(levels) else {
            return .mismatch(.levelCountMismatch(publicKey: levels, signature: Int(clamping: UInt64(nspk) + 1)))
        }
        let outcome = try HSS.Signature.parse(&reader, signedKeyCount: levels - 1, topKey: topPublicKey)
        if case .parsed = outcome { try reader.finish() }
        return outcome
    }
}
