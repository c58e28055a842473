import HalRPC
import HashSig

// PKEY_EXPORT (29): docs/wire-protocol.md §4.3, §8.7, §9.2, and SX1 (design.md, "Share-export extension").
extension AlphaServer {
    /// Check order: `8 + pad4(pkcs8_max) + pad4(kek_max) > 16372` → 29; kek_max ≤ 32 → 1;
    /// either handle unknown (another client's, when bound) → 21; with
    /// ``FirmwareBehaviour/checksCallerLogin`` the caller not logged in as NORMAL or WHEEL
    /// (unless the key is PUBLIC and not TOKEN) → 26; key without EXPORTABLE → 26; KEKEK without KEYENCIPHERMENT
    /// → 26; KEKEK not RSA → 2; pkcs8_max < 5480 → 14; KEKEK modulus longer than kek_max → 14;
    /// results longer than their maximum → 14.
    ///
    /// A hashsig private key is split first: the reference bisection, or with SX1's
    /// `shareCount` > 0 exactly the top `shareCount` leaves of the remaining range (more than
    /// remain → 48, nothing changed). Unlike the reference, the share is wrapped *before*
    /// anything changes, so a failure leaves the key whole; the source's shrunken range is on
    /// disk before the reply leaves. The reply carries the share range when the request
    /// carried a share count. The reference personality ignores the share count, as stock
    /// firmware ignores trailing request bytes (``FirmwareBehaviour/honoursShareCount``).
    ///
    /// Two-phase (``FirmwareBehaviour/holdsExportsPending``): a share-count export stores the
    /// share as pending with the shrunken range; while it is pending, the same request (same
    /// KEKEK public key, same count) wraps that share again and changes nothing, any other
    /// export of the key → 26. PKEY_SET_ATTRIBUTES of `0x43540004` confirms it.
    func pkeyExport(_ args: RPC.PKeyExport.Request, client: ClientHandle) throws(HALError) -> RPC.PKeyExport.Reply {
        guard !RPC.PKeyExport.overflowsPacket(args) else { throw .rpcPacketOverflow }
        guard args.kekMaximum > 32 else { throw .badArguments }
        let key = try openKey(args.pkey, caller: client).record
        let kekek = try openKey(args.kekek, caller: client).record
        try requireCallerMayUse(key, caller: client)
        guard key.flags.contains(.exportable) else { throw .forbidden }
        guard kekek.flags.contains(.keyEncipherment) else { throw .forbidden }
        let wrappingKey: RSAPublicKey
        switch try UsableKey(kekek) {
        case .loaded(.rsaPrivate(let rsa)): wrappingKey = try crypto { () throws(CryptoError) in try rsa.publicKey() }
        case .loaded(.rsaPublic(let rsa)): wrappingKey = rsa
        default: throw .unsupportedKey
        }
        guard args.pkcs8Maximum >= RPC.PKeyExport.minimumPKCS8Maximum else { throw .resultTooLong }
        guard wrappingKey.modulusByteCount <= Int(args.kekMaximum) else { throw .resultTooLong }

        func wrap(_ plaintext: [UInt8]) throws(HALError) -> KeyBackup.Export {
            let exported = try crypto { () throws(CryptoError) in try KeyBackup.export(privateKeyInfo: plaintext, kekek: wrappingKey) }
            guard exported.pkcs8.count <= Int(args.pkcs8Maximum), exported.kek.count <= Int(args.kekMaximum) else {
                throw .resultTooLong
            }
            return exported
        }

        guard key.material.hashsig != nil else {
            guard let der = key.material.der else { throw .impossible }
            let exported = try wrap(der)
            return .init(pkcs8: exported.pkcs8, kek: exported.kek)
        }
        let shareCount = behaviour.honoursShareCount ? args.shareCount : nil
        try hashsig.requireReady()
        guard let live = hashsig.key(key.name) else { throw .hashsigKeyExhausted }
        let kekekDigest = try crypto { () throws(CryptoError) in try DigestContext.hash(.sha256, try wrappingKey.subjectPublicKeyInfo()) }
        return try live.withKey { (liveKey) throws(HALError) -> RPC.PKeyExport.Reply in
            guard let current = keystore.record(key.name), case .hashsig(var stored) = current.material else { throw .keyNotFound }
            if behaviour.holdsExportsPending, let pending = stored.pendingShare {
                // The host lost the reply and asks again: the same share, wrapped afresh, for the
                // same board only. Its leaves go nowhere else until the host confirms.
                guard shareCount == pending.count, pending.kekekDigest == kekekDigest else { throw .forbidden }
                let exported = try wrap(try stored.privateKeyInfo(rangeStart: pending.start, rangeEnd: pending.end))
                logger.info("hashsig pending share wrapped again", metadata: [
                    "emulator.key": "\(key.name)", "emulator.share": "[\(pending.start), \(pending.end))",
                ])
                return .init(pkcs8: exported.pkcs8, kek: exported.kek, shareRange: LeafRange(start: pending.start, end: pending.end))
            }
            // The live top tree knows the next leaf exactly; the record is at most as far.
            let next = max(stored.nextIndex, liveKey?.topTree.nextLeafIndex ?? stored.nextIndex)
            let split: HSS.LeafRangeSplit
            do throws(HashSigError) {
                if let count = shareCount, count > 0 {
                    split = try .topLeaves(count, next: next, end: stored.rangeEnd)
                } else {
                    split = try .bisecting(next: next, end: stored.rangeEnd)
                }
            } catch {
                throw error.halError
            }
            let share = try stored.privateKeyInfo(rangeStart: split.share.lowerBound, rangeEnd: split.share.upperBound)
            let exported = try wrap(share)
            // The source gives the share's leaves up, on disk first, then in memory.
            stored.rangeEnd = split.kept.upperBound
            stored.nextIndex = next
            if behaviour.holdsExportsPending, let count = shareCount, count > 0 {
                stored.pendingShare = PendingShare(start: split.share.lowerBound, end: split.share.upperBound, kekekDigest: kekekDigest)
            }
            try keystore.update(key.name) { (record: inout KeyRecord) throws(HALError) in
                record.material = .hashsig(stored)
                // docs/wire-protocol.md §8.7 step 6 [quirk]: the rewrite stores exactly these flags.
                record.flags = [.digitalSignature, .token, .exportable]
            }
            do throws(HashSigError) {
                try liveKey?.topTree.narrowLeafRange(toEnd: split.kept.upperBound)
            } catch {
                throw error.halError
            }
            logger.info("hashsig share exported", metadata: [
                "emulator.key": "\(key.name)", "emulator.share": "[\(split.share.lowerBound), \(split.share.upperBound))",
                "emulator.kept": "[\(stored.rangeStart), \(split.kept.upperBound))",
            ])
            let range = shareCount.map { _ in LeafRange(split.share) }
            return .init(pkcs8: exported.pkcs8, kek: exported.kek, shareRange: range)
        }
    }
}
