/// An open key on the board: its handle, the client it belongs to, and the key operations.
///
/// A value type holding a board-side handle; ``close()`` or ``delete()`` releases the handle
/// (the board has 256 for all clients), after which the value must not be used.
public struct PKey: Hashable, Sendable {
    /// The client the handle belongs to.
    public let client: HSMClient
    /// The board's handle for the key, valid for ``client`` until ``close()`` or ``delete()``.
    public let handle: PKeyHandle
    /// The key's name, when it was opened by name or just created.
    public let name: KeyName?

    /// Wraps a handle obtained from the low-level calls.
    public init(client: HSMClient, handle: PKeyHandle, name: KeyName?) {
        self.client = client
        self.handle = handle
        self.name = name
    }

    public static func == (a: PKey, b: PKey) -> Bool {
        a.client === b.client && a.handle == b.handle && a.name == b.name
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(ObjectIdentifier(client))
        hasher.combine(handle)
        hasher.combine(name)
    }

    /// The key's type.
    /// - Throws: ``HSMClientError``.
    public func keyType() async throws -> KeyType { try await client.pkeyGetKeyType(handle) }

    /// The key's flags.
    /// - Throws: ``HSMClientError``.
    public func flags() async throws -> KeyFlags { try await client.pkeyGetKeyFlags(handle) }

    /// The key's curve (``Curve/none`` for non-EC keys).
    /// - Throws: ``HSMClientError``.
    public func curve() async throws -> Curve { try await client.pkeyGetKeyCurve(handle) }

    /// The SubjectPublicKeyInfo DER: asks for the length, then the key.
    ///
    /// When the board reports length 0 (its way of failing, docs/wire-protocol.md §3.1), the second
    /// call still goes out so that the board names the actual error (for example
    /// `HAL_ERROR_KEY_NOT_FOUND`).
    /// - Throws: ``HSMClientError``.
    public func publicKey() async throws -> [UInt8] {
        try await sizedRead {
            let length = try await client.pkeyGetPublicKeyLength(handle)
            return try await client.pkeyGetPublicKey(handle, maximumLength: length)
        }
    }

    /// The public key, read until two reads in a row agree: for a public key the host acts on
    /// (one a share is wrapped for), where a flipped bit inside the key cannot be seen in one
    /// reply (see ``confirmedAttributes(_:)``).
    /// - Throws: ``HSMClientError``; `.damagedReply` when three reads disagree.
    public func confirmedPublicKey() async throws -> [UInt8] {
        try await confirmed(.pkeyGetPublicKey) { try await publicKey() }
    }

    /// A read in two requests, the second sized by the first's answer (a length, then the
    /// value). When the board finds the second's buffer too small, or its reply too big for a
    /// packet, the length was damaged on the way (the board's own length fits), so the pair is
    /// asked again, at most three times.
    private func sizedRead<T>(_ read: () async throws -> T) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await read()
            } catch HSMClientError.device(let status) where (status == .resultTooLong || status == .rpcPacketOverflow) && attempt < 3 {
                attempt += 1
            }
        }
    }

    /// Reads until two reads in a row agree, at most three times.
    private func confirmed<T: Equatable>(_ function: FunctionNumber, _ read: () async throws -> T) async throws -> T {
        var previous = try await read()
        for _ in 0..<2 {
            let again = try await read()
            if again == previous { return again }
            previous = again
        }
        throw HSMClientError.damagedReply(function: function, reason: "three reads of the same value disagree")
    }

    /// Signs `input`. A hashsig signature consumes a one-time key; a call that times out
    /// is never retried.
    /// - Parameters:
    ///   - input: RSA: a DER DigestInfo; EC: the digest; hashsig: the message.
    ///   - signatureMaximum: the most signature bytes accepted; by default as many as a reply
    ///     can carry.
    ///   - timeout: overrides ``RPCTimeout/long``.
    /// - Throws: ``HSMClientError``.
    public func sign(_ input: [UInt8], signatureMaximum: Int = RPCLimits.maximumResultOpaque, timeout: Duration? = nil) async throws -> [UInt8] {
        try await client.pkeySign(handle, input: input, signatureMaximum: signatureMaximum, timeout: timeout)
    }

    /// Signs the digest of `digest`, which the board finalizes and frees.
    /// - Parameters:
    ///   - digest: a running hash (RSA: the board builds the DigestInfo).
    ///   - signatureMaximum: the most signature bytes accepted.
    ///   - timeout: overrides ``RPCTimeout/long``.
    /// - Throws: ``HSMClientError``.
    public func sign(digest: Digest, signatureMaximum: Int = RPCLimits.maximumResultOpaque, timeout: Duration? = nil) async throws -> [UInt8] {
        try await client.pkeySign(handle, hash: digest.handle, signatureMaximum: signatureMaximum, timeout: timeout)
    }

    /// Checks `signature` over `input`.
    /// - Returns: `false` for an invalid signature.
    /// - Throws: ``HSMClientError`` when the board cannot check it (malformed signature, wrong key type).
    public func verify(_ input: [UInt8], signature: [UInt8], timeout: Duration? = nil) async throws -> Bool {
        try await client.pkeyVerify(handle, input: input, signature: signature, timeout: timeout)
    }

    /// Checks `signature` over the digest of `digest`, which the board finalizes and frees.
    /// - Returns: `false` for an invalid signature.
    /// - Throws: ``HSMClientError``.
    public func verify(digest: Digest, signature: [UInt8], timeout: Duration? = nil) async throws -> Bool {
        try await client.pkeyVerify(handle, hash: digest.handle, signature: signature, timeout: timeout)
    }

    /// The values of the attributes among `types` that the key holds.
    ///
    /// Does the two-phase query for you (docs/wire-protocol.md §4.3): lengths first, then the values of
    /// those with a non-zero length. The reference reports an absent attribute as length 0,
    /// so an attribute with an empty value cannot be told from an absent one and is left
    /// out; a key without any attribute (`HAL_ERROR_ATTRIBUTE_NOT_FOUND`) gives an empty
    /// dictionary.
    /// - Parameter types: the attribute types wanted.
    /// - Throws: ``HSMClientError``.
    public func attributes(_ types: [AttributeType]) async throws -> [AttributeType: [UInt8]] {
        guard !types.isEmpty else { return [:] }
        return try await sizedRead { try await attributesOnce(types) }
    }

    /// One two-phase attribute query: lengths, then the values of those present.
    private func attributesOnce(_ types: [AttributeType]) async throws -> [AttributeType: [UInt8]] {
        let lengths: [AttributeLength]
        do {
            guard case .lengths(let reply) = try await client.pkeyGetAttributes(handle, types: types, bufferLength: 0) else {
                throw HSMClientError.unexpectedReply(function: .pkeyGetAttributes, reason: "values instead of lengths")
            }
            lengths = reply
        } catch HSMClientError.device(.attributeNotFound) {
            return [:]
        }
        let present = lengths.filter { !$0.isAbsent }
        guard !present.isEmpty else { return [:] }
        let total = present.reduce(0) { $0 + Int($1.length) }
        guard case .values(let values) = try await client.pkeyGetAttributes(handle, types: present.map(\.type), bufferLength: total) else {
            throw HSMClientError.unexpectedReply(function: .pkeyGetAttributes, reason: "lengths instead of values")
        }
        return Dictionary(values.map { ($0.type, $0.value) }, uniquingKeysWith: { first, _ in first })
    }

    /// The values of the attributes among `types`, read until two reads in a row agree.
    ///
    /// For values the host acts on (a share's leaf range): the protocol has no checksum, so a
    /// flipped bit in a value cannot be seen in one reply, but is not flipped the same way
    /// twice.
    /// - Throws: ``HSMClientError``; `.damagedReply` when three reads disagree.
    public func confirmedAttributes(_ types: [AttributeType]) async throws -> [AttributeType: [UInt8]] {
        try await confirmed(.pkeyGetAttributes) { try await attributes(types) }
    }

    /// Sets and deletes attributes in one request.
    /// - Throws: ``HSMClientError``.
    public func updateAttributes(_ updates: [AttributeUpdate]) async throws {
        try await client.pkeySetAttributes(handle, updates)
    }

    /// Exports the key wrapped for the board that owns `kekek` (see
    /// ``HSMClient/pkeyExport(_:kekek:pkcs8Maximum:kekMaximum:shareCount:timeout:)``).
    /// - Parameters:
    ///   - kekek: the destination's RSA key, loaded here.
    ///   - shareCount: SX1: leaves for a hashsig share; `nil` for the firmware's bisection.
    /// - Throws: ``HSMClientError``.
    public func export(kekek: PKey, shareCount: UInt32? = nil) async throws -> RPC.PKeyExport.Reply {
        try await client.pkeyExport(handle, kekek: kekek.handle, shareCount: shareCount)
    }

    /// Releases the handle; the key stays.
    /// - Throws: ``HSMClientError``.
    public func close() async throws { try await client.pkeyClose(handle) }

    /// Deletes the key and releases the handle.
    /// - Throws: ``HSMClientError``.
    public func delete() async throws { try await client.pkeyDelete(handle) }
}
