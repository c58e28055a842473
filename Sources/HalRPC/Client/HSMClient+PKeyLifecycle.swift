nonisolated extension HSMClient {
    /// `hal_rpc_pkey_load`: loads a DER key under a fresh name. ``loadKey(der:flags:session:)``
    /// returns a ``PKey`` instead.
    /// - Parameters:
    ///   - der: PKCS#8 PrivateKeyInfo or SubjectPublicKeyInfo.
    ///   - flags: the key's flags (``KeyFlags/token`` to keep it in flash).
    ///   - session: the session word.
    ///   - timeout: overrides ``RPCTimeout/standard``.
    /// - Throws: ``HSMClientError``.
    public func pkeyLoad(der: [UInt8], flags: KeyFlags, session: SessionHandle = .zero, timeout: Duration? = nil) async throws -> NewKey {
        try await perform(RPC.PKeyLoad.self, .init(session: session, der: der, flags: flags), timeout: timeout)
    }

    /// `hal_rpc_pkey_open`: opens a key by name (needs a NORMAL or WHEEL login).
    /// - Parameters:
    ///   - name: the key's name.
    ///   - session: the session word.
    ///   - timeout: overrides ``RPCTimeout/standard``.
    /// - Throws: ``HSMClientError``, `.device(.keyNotFound)` when no such key is visible.
    public func pkeyOpen(name: KeyName, session: SessionHandle = .zero, timeout: Duration? = nil) async throws -> PKeyHandle {
        try await perform(RPC.PKeyOpen.self, .init(session: session, name: name), timeout: timeout).pkey
    }

    /// `hal_rpc_pkey_generate_rsa`: generates an RSA key pair (minutes on the board).
    /// - Parameters:
    ///   - keyLength: the modulus length in bits, a multiple of 8.
    ///   - publicExponent: big-endian bytes; 65537 by default.
    ///   - flags: the key's flags.
    ///   - session: the session word.
    ///   - timeout: overrides ``RPCTimeout/keyGeneration``.
    /// - Throws: ``HSMClientError``.
    public func pkeyGenerateRSA(
        keyLength: Int, publicExponent: [UInt8] = RPC.PKeyGenerateRSA.defaultPublicExponent, flags: KeyFlags,
        session: SessionHandle = .zero, timeout: Duration? = nil
    ) async throws -> NewKey {
        guard let bits = UInt32(exactly: keyLength) else {
            throw HSMClientError.invalidArgument("RSA key length \(keyLength) bits")
        }
        let request = RPC.PKeyGenerateRSA.Request(session: session, keyLength: bits, publicExponent: publicExponent, flags: flags)
        return try await perform(RPC.PKeyGenerateRSA.self, request, timeout: timeout)
    }

    /// `hal_rpc_pkey_generate_ec`: generates an EC key pair.
    /// - Parameters:
    ///   - curve: P-256, P-384 or P-521.
    ///   - flags: the key's flags.
    ///   - session: the session word.
    ///   - timeout: overrides ``RPCTimeout/standard``.
    /// - Throws: ``HSMClientError``.
    public func pkeyGenerateEC(curve: Curve, flags: KeyFlags, session: SessionHandle = .zero, timeout: Duration? = nil) async throws -> NewKey {
        try await perform(RPC.PKeyGenerateEC.self, .init(session: session, curve: curve, flags: flags), timeout: timeout)
    }

    /// `hal_rpc_pkey_generate_hashsig`: generates an HSS/LMS key (minutes on the board).
    /// - Parameters:
    ///   - levels: HSS levels `L`, 1…8.
    ///   - lmsType: the LMS parameter set (the same at every level).
    ///   - lmotsType: the LM-OTS parameter set.
    ///   - flags: must include ``KeyFlags/digitalSignature`` and ``KeyFlags/token``;
    ///     ``KeyFlags/exportable`` to allow share export.
    ///   - session: the session word.
    ///   - timeout: overrides ``RPCTimeout/keyGeneration``.
    /// - Throws: ``HSMClientError``.
    public func pkeyGenerateHashsig(
        levels: Int, lmsType: LMSTypeCode, lmotsType: LMOTSTypeCode, flags: KeyFlags,
        session: SessionHandle = .zero, timeout: Duration? = nil
    ) async throws -> NewKey {
        guard let l = UInt32(exactly: levels) else { throw HSMClientError.invalidArgument("HSS levels \(levels)") }
        let request = RPC.PKeyGenerateHashsig.Request(session: session, levels: l, lmsType: lmsType, lmotsType: lmotsType, flags: flags)
        return try await perform(RPC.PKeyGenerateHashsig.self, request, timeout: timeout)
    }

    /// `hal_rpc_pkey_close`: releases a key handle.
    /// - Throws: ``HSMClientError``.
    public func pkeyClose(_ pkey: PKeyHandle, timeout: Duration? = nil) async throws {
        _ = try await perform(RPC.PKeyClose.self, .init(pkey: pkey), timeout: timeout)
    }

    /// `hal_rpc_pkey_delete`: deletes the key and releases the handle.
    /// - Throws: ``HSMClientError``.
    public func pkeyDelete(_ pkey: PKeyHandle, timeout: Duration? = nil) async throws {
        _ = try await perform(RPC.PKeyDelete.self, .init(pkey: pkey), timeout: timeout)
    }

    /// `hal_rpc_pkey_import`: unwraps and loads a key exported for this board.
    /// - Parameters:
    ///   - kekek: this board's RSA private key the export was made for.
    ///   - pkcs8: the wrapped key.
    ///   - kek: the wrapped KEK.
    ///   - flags: the new key's flags.
    ///   - session: the session word.
    ///   - timeout: overrides ``RPCTimeout/keyGeneration``.
    /// - Throws: ``HSMClientError``.
    public func pkeyImport(
        kekek: PKeyHandle, pkcs8: [UInt8], kek: [UInt8], flags: KeyFlags, session: SessionHandle = .zero, timeout: Duration? = nil
    ) async throws -> NewKey {
        let request = RPC.PKeyImport.Request(session: session, kekek: kekek, pkcs8: pkcs8, kek: kek, flags: flags)
        return try await perform(RPC.PKeyImport.self, request, timeout: timeout)
    }
}
