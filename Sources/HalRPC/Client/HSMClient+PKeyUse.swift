nonisolated extension HSMClient {
    /// `hal_rpc_pkey_get_key_type`.
    /// - Throws: ``HSMClientError``.
    public func pkeyGetKeyType(_ pkey: PKeyHandle, timeout: Duration? = nil) async throws -> KeyType {
        try await perform(RPC.PKeyGetKeyType.self, .init(pkey: pkey), timeout: timeout).type
    }

    /// `hal_rpc_pkey_get_key_flags`.
    /// - Throws: ``HSMClientError``.
    public func pkeyGetKeyFlags(_ pkey: PKeyHandle, timeout: Duration? = nil) async throws -> KeyFlags {
        try await perform(RPC.PKeyGetKeyFlags.self, .init(pkey: pkey), timeout: timeout).flags
    }

    /// `hal_rpc_pkey_get_key_curve`.
    /// - Throws: ``HSMClientError``.
    public func pkeyGetKeyCurve(_ pkey: PKeyHandle, timeout: Duration? = nil) async throws -> Curve {
        try await perform(RPC.PKeyGetKeyCurve.self, .init(pkey: pkey), timeout: timeout).curve
    }

    /// `hal_rpc_pkey_get_public_key_len`: the SubjectPublicKeyInfo's length; 0 means an
    /// unknown handle or a failure (the board still answers `HAL_OK`).
    /// - Throws: ``HSMClientError``.
    public func pkeyGetPublicKeyLength(_ pkey: PKeyHandle, timeout: Duration? = nil) async throws -> Int {
        Int(try await perform(RPC.PKeyGetPublicKeyLength.self, .init(pkey: pkey), timeout: timeout).length)
    }

    /// `hal_rpc_pkey_get_public_key`: the SubjectPublicKeyInfo DER.
    /// - Parameters:
    ///   - pkey: the key handle.
    ///   - maximumLength: the most bytes wanted (less than the DER fails with
    ///     `.device(.resultTooLong)`).
    ///   - timeout: overrides ``RPCTimeout/short``.
    /// - Throws: ``HSMClientError``.
    public func pkeyGetPublicKey(_ pkey: PKeyHandle, maximumLength: Int, timeout: Duration? = nil) async throws -> [UInt8] {
        let request = RPC.PKeyGetPublicKey.Request(pkey: pkey, maximumLength: try Self.wireLength(maximumLength, "public key maximum"))
        return try await perform(RPC.PKeyGetPublicKey.self, request, timeout: timeout).der
    }

    /// `hal_rpc_pkey_sign`: signs `input` or the digest of `hash` (which the board consumes).
    /// A hashsig signature consumes a one-time key; a call that times out is not retried.
    /// - Parameters:
    ///   - pkey: the private key.
    ///   - hash: a hash handle, or ``HashHandle/noHandle`` when signing `input`.
    ///   - input: RSA: a DER DigestInfo; EC: the digest; hashsig: the message. Empty with a hash.
    ///   - signatureMaximum: the most signature bytes wanted.
    ///   - timeout: overrides ``RPCTimeout/long``.
    /// - Throws: ``HSMClientError``.
    public func pkeySign(
        _ pkey: PKeyHandle, hash: HashHandle = .noHandle, input: [UInt8] = [], signatureMaximum: Int, timeout: Duration? = nil
    ) async throws -> [UInt8] {
        let request = RPC.PKeySign.Request(
            pkey: pkey, hash: hash, input: input, signatureMaximum: try Self.wireLength(signatureMaximum, "signature maximum"))
        return try await perform(RPC.PKeySign.self, request, timeout: timeout).signature
    }

    /// `hal_rpc_pkey_verify`: checks a signature over `input` or the digest of `hash`.
    /// - Parameters:
    ///   - pkey: the key.
    ///   - hash: a hash handle, or ``HashHandle/noHandle`` when checking `input`.
    ///   - input: as for ``pkeySign(_:hash:input:signatureMaximum:timeout:)``.
    ///   - signature: the signature.
    ///   - timeout: overrides ``RPCTimeout/standard``.
    /// - Returns: `false` when the board answers `HAL_ERROR_INVALID_SIGNATURE`.
    /// - Throws: ``HSMClientError`` for any other failure, such as a malformed signature.
    public func pkeyVerify(
        _ pkey: PKeyHandle, hash: HashHandle = .noHandle, input: [UInt8] = [], signature: [UInt8], timeout: Duration? = nil
    ) async throws -> Bool {
        do {
            let request = RPC.PKeyVerify.Request(pkey: pkey, hash: hash, input: input, signature: signature)
            _ = try await perform(RPC.PKeyVerify.self, request, timeout: timeout)
            return true
        } catch HSMClientError.device(.invalidSignature) {
            return false
        }
    }

    /// `hal_rpc_pkey_export`: the key wrapped for the board that owns `kekek`.
    /// - Parameters:
    ///   - pkey: the key (needs ``KeyFlags/exportable``).
    ///   - kekek: the destination's RSA key (needs ``KeyFlags/keyEncipherment``).
    ///   - pkcs8Maximum: the most wrapped-key bytes; 5480 (the board's minimum) by default.
    ///   - kekMaximum: the most wrapped-KEK bytes; 512 by default (enough up to RSA-3072).
    ///   - shareCount: SX1: leaves for a hashsig share; `nil` to leave the word out.
    ///   - timeout: overrides ``RPCTimeout/long``.
    /// - Throws: ``HSMClientError``.
    public func pkeyExport(
        _ pkey: PKeyHandle, kekek: PKeyHandle, pkcs8Maximum: Int = Int(RPC.PKeyExport.minimumPKCS8Maximum),
        kekMaximum: Int = 512, shareCount: UInt32? = nil, timeout: Duration? = nil
    ) async throws -> RPC.PKeyExport.Reply {
        let request = RPC.PKeyExport.Request(
            pkey: pkey, kekek: kekek, pkcs8Maximum: try Self.wireLength(pkcs8Maximum, "PKCS#8 maximum"),
            kekMaximum: try Self.wireLength(kekMaximum, "KEK maximum"), shareCount: shareCount)
        return try await perform(RPC.PKeyExport.self, request, timeout: timeout)
    }
}
