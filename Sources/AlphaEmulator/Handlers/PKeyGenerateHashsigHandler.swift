import HalRPC
import HashSig

// PKEY_GENERATE_HASHSIG (31), and the hashsig half of PKEY_LOAD / PKEY_IMPORT: docs/wire-protocol.md
// §8.5, §8.7.
extension AlphaServer {
    /// The §8.5 check order: flags outside `0x3F` → 1; not writable → 26; no handle slot → 23;
    /// start-up rebuild running → 49; then ``HashsigParameters/check`` (1, 26, 41, 2).
    func pkeyGenerateHashsig(_ args: RPC.PKeyGenerateHashsig.Request, client: ClientHandle) throws(HALError) -> NewKey {
        try Self.checkFlags(args.flags)
        try requireWritable(args.flags, client: client)
        try pkeys.requireFreeSlot()
        try hashsig.requireReady()
        let parameters = try HashsigParameters.check(
            levels: args.levels, lmsType: args.lmsType, lmotsType: args.lmotsType, flags: args.flags,
            freeToken: keystore.freeTokenEntries, freeVolatile: keystore.freeVolatileEntries)
        let (key, record) = try HashsigTrees.generate(parameters, exportable: args.flags.contains(.exportable))
        let name = keystore.freshName()
        let newKey = try storeNewKey(type: .hashsigPrivate, curve: .none, flags: args.flags, material: .hashsig(record),
                                     entries: parameters.tokenEntries, client: client, session: args.session, name: name)
        hashsig.install(LiveHashsigKey(name: name, key: key))
        logger.info("hashsig key generated", metadata: [
            "emulator.key": "\(name)", "emulator.parameters": "L=\(parameters.levels) \(parameters.lmsType)/\(parameters.lmotsType)",
        ])
        return newKey
    }

    /// Installs a hashsig private key record arriving by PKEY_IMPORT or PKEY_LOAD (§8.7 import):
    /// start-up rebuild running → 49; a key with the same I already here → 22; the keygen
    /// checks on the record's parameters (26, 41, 1, 2); the top tree rebuilt from the SEED
    /// over [qStart, qEnd) must reach the record's root T1, else 17 (the reference does not
    /// check, [REF BUG] §13.26, nor does its personality here:
    /// ``FirmwareBehaviour/importChecksRoot``); fresh lower levels, signed by the level above;
    /// a new UUID.
    func installHashsigShare(_ share: HashSigPrivateKeyRecord, flags: KeyFlags, client: ClientHandle, session: SessionHandle) throws(HALError) -> NewKey {
        try hashsig.requireReady()
        try pkeys.requireFreeSlot()
        return try hashsigInstallLock.withLock { (_: inout Void) throws(HALError) -> NewKey in
            guard !keystore.containsHashsigKey(identifier: share.identifier) else { throw .keyNameInUse }
            let parameters = try HashsigParameters.check(
                levels: share.levels, lmsType: share.lmsType, lmotsType: share.lmotsType, flags: flags,
                freeToken: keystore.freeTokenEntries, freeVolatile: keystore.freeVolatileEntries)
            guard share.qStart <= share.qEnd, share.qEnd <= parameters.lmsType.leafCount else { throw .badArguments }
            var record = HashsigKeyRecord(
                levels: share.levels, lmsType: share.lmsType, lmotsType: share.lmotsType, identifier: share.identifier,
                root: share.root, seed: share.seed, isExportableSeed: true, rangeStart: share.qStart,
                rangeEnd: share.qEnd, nextIndex: share.qStart)
            let top = try HashsigTrees.topTree(
                record, parameters: parameters, checksRoot: behaviour.importChecksRoot)
            let key = try HashsigTrees.assemble(top: top, parameters: parameters)
            record.nextIndex = top.nextLeafIndex
            let name = keystore.freshName()
            let entries = Int(share.qEnd - share.qStart) + 2
            let newKey = try storeNewKey(type: .hashsigPrivate, curve: .none, flags: flags, material: .hashsig(record),
                                         entries: entries, client: client, session: session, name: name)
            hashsig.install(LiveHashsigKey(name: name, key: key))
            logger.info("hashsig share installed", metadata: [
                "emulator.key": "\(name)", "emulator.range": "[\(share.qStart), \(share.qEnd))",
            ])
            return newKey
        }
    }
}
