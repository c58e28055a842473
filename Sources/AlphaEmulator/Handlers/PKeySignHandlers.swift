import HalRPC
import HashSig

// PKEY_SIGN (23), PKEY_VERIFY (24): docs/wire-protocol.md §4.3, §8.3.
extension AlphaServer {
    /// `4 + pad4(sig_max) > 16372` → 29; sig_max 0 → 1; not exactly one of hash handle and
    /// input → 1; unknown key (another client's, when bound) → 21; with
    /// ``FirmwareBehaviour/checksCallerLogin`` the caller not logged in as NORMAL or WHEEL
    /// (unless the key is PUBLIC and not TOKEN) → 26; not an RSA, EC or hashsig private key →
    /// 2; no DIGITALSIGNATURE → 26; signature longer than sig_max → 14 (checked before a
    /// hashsig key spends a leaf); hashsig during the start-up rebuild → 49, used up → 48. A
    /// hash handle (the caller's, when bound; else 1) is finalized here. The reference needs
    /// no login: possession of the handle is the check.
    func pkeySign(_ args: RPC.PKeySign.Request, client: ClientHandle) throws(HALError) -> RPC.PKeySign.Reply {
        guard !RPC.PKeySign.overflowsPacket(args) else { throw .rpcPacketOverflow }
        guard args.signatureMaximum > 0 else { throw .badArguments }
        guard (args.hash != .noHandle) != !args.input.isEmpty else { throw .badArguments }
        let record = try openKey(args.pkey, caller: client).record
        try requireCallerMayUse(record, caller: client)
        guard [.rsaPrivate, .ecPrivate, .hashsigPrivate].contains(record.type) else { throw .unsupportedKey }
        guard record.flags.contains(.digitalSignature) else { throw .forbidden }
        let maximum = Int(args.signatureMaximum)
        switch try UsableKey(record) {
        case .loaded(.rsaPrivate(let key)):
            guard key.modulusByteCount <= maximum else { throw .resultTooLong }
            let input = args.hash == .noHandle ? args.input : try digestInfo(finalizing: args.hash, caller: client)
            return .init(signature: try crypto { () throws(CryptoError) in try key.signPKCS1v15(digestInfo: input) })
        case .loaded(.ecPrivate(let key)):
            guard (key.curve.signatureLength ?? .max) <= maximum else { throw .resultTooLong }
            let digest = args.hash == .noHandle ? args.input : try hashes.finalize(args.hash, caller: client).digest
            return .init(signature: try crypto { () throws(CryptoError) in try key.sign(digest: digest) })
        case .hashsigPrivate(let stored):
            guard let parameters = HashsigParameters(stored) else { throw .unsupportedKey }
            guard parameters.signatureLength <= maximum else { throw .resultTooLong }
            try hashsig.requireReady()
            let message = args.hash == .noHandle ? args.input : try hashes.finalize(args.hash, caller: client).digest
            return .init(signature: try signHashsig(record.name, message: message))
        default:
            throw .unsupportedKey
        }
    }

    /// Empty signature → 1; not exactly one of hash handle and input → 1; unknown key
    /// (another client's, when bound) → 21; not an RSA, EC or hashsig key → 2; no
    /// DIGITALSIGNATURE → 26; then 0 (valid) or 17. RSA verifies against the DigestInfo
    /// (given, or rebuilt from the hash handle); EC and hashsig against the digest or message.
    /// No login needed in either personality: verifying uses only the public half.
    func pkeyVerify(_ args: RPC.PKeyVerify.Request, client: ClientHandle) throws(HALError) -> NoResults {
        guard !args.signature.isEmpty else { throw .badArguments }
        guard (args.hash != .noHandle) != !args.input.isEmpty else { throw .badArguments }
        let record = try openKey(args.pkey, caller: client).record
        guard [.rsaPrivate, .rsaPublic, .ecPrivate, .ecPublic, .hashsigPrivate, .hashsigPublic].contains(record.type) else {
            throw .unsupportedKey
        }
        guard record.flags.contains(.digitalSignature) else { throw .forbidden }
        let valid: Bool
        switch try UsableKey(record) {
        case .loaded(.rsaPrivate(let key)):
            let input = args.hash == .noHandle ? args.input : try digestInfo(finalizing: args.hash, caller: client)
            let publicKey = try crypto { () throws(CryptoError) in try key.publicKey() }
            valid = try crypto { () throws(CryptoError) in try publicKey.isValidSignature(args.signature, digestInfo: input) }
        case .loaded(.rsaPublic(let key)):
            let input = args.hash == .noHandle ? args.input : try digestInfo(finalizing: args.hash, caller: client)
            valid = try crypto { () throws(CryptoError) in try key.isValidSignature(args.signature, digestInfo: input) }
        case .loaded(.ecPrivate(let key)):
            let digest = args.hash == .noHandle ? args.input : try hashes.finalize(args.hash, caller: client).digest
            let publicKey = try crypto { () throws(CryptoError) in try key.publicKey() }
            valid = try crypto { () throws(CryptoError) in try publicKey.isValidSignature(args.signature, digest: digest) }
        case .loaded(.ecPublic(let key)):
            let digest = args.hash == .noHandle ? args.input : try hashes.finalize(args.hash, caller: client).digest
            valid = try crypto { () throws(CryptoError) in try key.isValidSignature(args.signature, digest: digest) }
        case .loaded(.hashsigPublic(let spki)):
            let message = args.hash == .noHandle ? args.input : try hashes.finalize(args.hash, caller: client).digest
            let info: HashSigPublicKeyInfo
            do { info = try HashSigPublicKeyInfo(der: spki) } catch { throw error.halError }
            valid = Self.verifyHashsig(info, signature: args.signature, message: message)
        case .loaded(.hashsigPrivate(let share)):
            let message = args.hash == .noHandle ? args.input : try hashes.finalize(args.hash, caller: client).digest
            valid = Self.verifyHashsig(share.publicKeyInfo, signature: args.signature, message: message)
        case .hashsigPrivate(let stored):
            let message = args.hash == .noHandle ? args.input : try hashes.finalize(args.hash, caller: client).digest
            let info: HashSigPublicKeyInfo
            do { info = try stored.publicKeyInfo } catch { throw error.halError }
            valid = Self.verifyHashsig(info, signature: args.signature, message: message)
        }
        guard valid else { throw .invalidSignature }
        return NoResults()
    }

    /// Signs with a live hashsig key and persists the top tree's index before the signature
    /// may leave (design.md: "a hashsig signature is released only after the advanced index is
    /// on disk").
    private func signHashsig(_ name: KeyName, message: [UInt8]) throws(HALError) -> [UInt8] {
        guard let live = hashsig.key(name) else { throw .hashsigKeyExhausted }
        return try live.withKey { (key) throws(HALError) -> [UInt8] in
            guard let key else { throw .hashsigKeyExhausted }
            let before = key.signingState.topLeafIndex
            let signature: HSS.Signature
            do throws(HashSigError) {
                signature = try key.sign(message)
            } catch {
                throw error.halError
            }
            let after = key.signingState.topLeafIndex
            if after != before {
                try keystore.update(name) { (record: inout KeyRecord) throws(HALError) in
                    guard case .hashsig(var stored) = record.material else { throw .impossible }
                    stored.nextIndex = max(stored.nextIndex, after)
                    record.material = .hashsig(stored)
                }
            }
            return signature.bytes
        }
    }

    /// RFC 8554 verification under the board's public key encoding (§8.2, §8.3).
    static func verifyHashsig(_ info: HashSigPublicKeyInfo, signature: [UInt8], message: [UInt8]) -> Bool {
        guard let key = try? HSS.PublicKey(bytes: info.rawPublicKey) else { return false }
        return key.isValidSignature(signature, for: message)
    }

    /// Finalizes `caller`'s hash handle into the DigestInfo an RSA key signs (§7).
    private func digestInfo(finalizing handle: HashHandle, caller: ClientHandle) throws(HALError) -> [UInt8] {
        let (digest, algorithm, _) = try hashes.finalize(handle, caller: caller)
        do {
            return try algorithm.digestInfo(digest: digest)
        } catch {
            throw error.halError
        }
    }
}

/// Runs a crypto backend call, answering its failure with the board's status.
func crypto<T>(_ body: () throws(CryptoError) -> T) throws(HALError) -> T {
    do {
        return try body()
    } catch {
        throw error.halError
    }
}
