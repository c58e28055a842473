nonisolated extension HSMClient {
    /// Opens a key by name (needs a NORMAL or WHEEL login).
    /// - Throws: ``HSMClientError``, `.device(.keyNotFound)` when no such key is visible.
    public func openKey(name: KeyName, session: SessionHandle = .zero) async throws -> PKey {
        PKey(client: self, handle: try await pkeyOpen(name: name, session: session), name: name)
    }

    /// Loads a DER key (PKCS#8 PrivateKeyInfo or SubjectPublicKeyInfo).
    /// - Throws: ``HSMClientError``.
    public func loadKey(der: [UInt8], flags: KeyFlags, session: SessionHandle = .zero) async throws -> PKey {
        key(try await pkeyLoad(der: der, flags: flags, session: session))
    }

    /// Generates an RSA key pair on the board.
    /// - Throws: ``HSMClientError``.
    public func generateRSAKey(
        keyLength: Int, publicExponent: [UInt8] = RPC.PKeyGenerateRSA.defaultPublicExponent, flags: KeyFlags,
        session: SessionHandle = .zero
    ) async throws -> PKey {
        key(try await pkeyGenerateRSA(keyLength: keyLength, publicExponent: publicExponent, flags: flags, session: session))
    }

    /// Generates an EC key pair on the board.
    /// - Throws: ``HSMClientError``.
    public func generateECKey(curve: Curve, flags: KeyFlags, session: SessionHandle = .zero) async throws -> PKey {
        key(try await pkeyGenerateEC(curve: curve, flags: flags, session: session))
    }

    /// Generates an HSS/LMS key on the board.
    /// - Throws: ``HSMClientError``.
    public func generateHashsigKey(
        levels: Int, lmsType: LMSTypeCode, lmotsType: LMOTSTypeCode, flags: KeyFlags, session: SessionHandle = .zero
    ) async throws -> PKey {
        key(try await pkeyGenerateHashsig(levels: levels, lmsType: lmsType, lmotsType: lmotsType, flags: flags, session: session))
    }

    /// Imports a key exported for this board.
    /// - Throws: ``HSMClientError``.
    public func importKey(kekek: PKey, pkcs8: [UInt8], kek: [UInt8], flags: KeyFlags, session: SessionHandle = .zero) async throws -> PKey {
        key(try await pkeyImport(kekek: kekek.handle, pkcs8: pkcs8, kek: kek, flags: flags, session: session))
    }

    /// Starts a hash, or an HMAC when `hmacKey` is given.
    /// - Throws: ``HSMClientError``.
    public func digest(algorithm: DigestAlgorithm, hmacKey: [UInt8] = [], session: SessionHandle = .zero) async throws -> Digest {
        Digest(client: self, handle: try await hashInitialize(algorithm: algorithm, key: hmacKey, session: session), algorithm: algorithm)
    }

    /// The names of the keys matching a filter, paged through lazily.
    /// - Parameters:
    ///   - type: only this type; ``KeyType/none`` for any.
    ///   - curve: only this curve; ``Curve/none`` for any.
    ///   - mask: the flag bits that must equal those in `flags`.
    ///   - flags: the wanted values of the `mask` bits. Without ``KeyFlags/public`` in both,
    ///     a client that is not logged in gets no names (not an error; docs/wire-protocol.md §4.3).
    ///   - attributes: attributes a key must hold with exactly these values.
    ///   - pageSize: names per request, 1…``RPC/PKeyMatch/maximumPageSize`` (64 like the
    ///     Python client).
    ///   - session: the session word.
    public func matchKeys(
        type: KeyType = .none, curve: Curve = .none, mask: KeyFlags = [], flags: KeyFlags = [],
        attributes: [Attribute] = [], pageSize: Int = 64, session: SessionHandle = .zero
    ) -> KeyMatchSequence {
        let size = UInt32(min(max(pageSize, 1), RPC.PKeyMatch.maximumPageSize))
        let first = RPC.PKeyMatch.Request(
            session: session, type: type, curve: curve, mask: mask, flags: flags, attributes: attributes,
            state: .start, resultMaximum: size, previous: .zero)
        return KeyMatchSequence(client: self, firstPage: first)
    }

    private func key(_ new: NewKey) -> PKey {
        PKey(client: self, handle: new.pkey, name: new.name)
    }
}
