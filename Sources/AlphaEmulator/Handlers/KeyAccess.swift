import HalRPC

// Shared rules for reaching keys: handles, visibility, writability (docs/wire-protocol.md §4.2, §6).
extension AlphaServer {
    /// The firmware personality's switches.
    var behaviour: FirmwareBehaviour { configuration.firmware.behaviour }

    /// An open handle and the key it names, as `caller` reaches it.
    /// - Throws: `HAL_ERROR_KEY_NOT_FOUND` for an unknown handle (another client's, when
    ///   handles are bound: ``FirmwareBehaviour/bindsHandlesToClient``) or a key deleted
    ///   meanwhile.
    func openKey(_ handle: PKeyHandle, caller: ClientHandle) throws(HALError) -> (entry: PKeyHandleTable.Entry, record: KeyRecord) {
        let entry = try pkeys.entry(handle, caller: caller)
        guard let record = keystore.record(entry.name) else { throw .keyNotFound }
        return (entry, record)
    }

    /// Whether `client` can see `record`: token keys are visible to all; a volatile key only to
    /// the client that created it, except keys created with handle 0 (visible to all) and a
    /// WHEEL login (sees all) (docs/wire-protocol.md §6).
    func isVisible(_ record: KeyRecord, to client: ClientHandle) -> Bool {
        record.isToken || record.owner == .zero || record.owner == client || users.isWheel(client)
    }

    /// The flags checks shared by LOAD, GENERATE_* and IMPORT: bits outside `0x3F` → 1.
    static func checkFlags(_ flags: KeyFlags) throws(HALError) {
        guard flags.rawValue & ~KeyFlags.all.rawValue == 0 else { throw .badArguments }
    }

    /// `writable(flags)` for `client`, else 26.
    func requireWritable(_ flags: KeyFlags, client: ClientHandle) throws(HALError) {
        guard users.mayWrite(client, flags: flags) else { throw .forbidden }
    }

    /// The login rule for using a key's private half (PKEY_SIGN, PKEY_EXPORT): with
    /// ``FirmwareBehaviour/checksCallerLogin``, `writable(key flags)` for the caller, else 26,
    /// so a handle alone signs and exports nothing; the reference checks nothing (§4.2).
    func requireCallerMayUse(_ record: KeyRecord, caller: ClientHandle) throws(HALError) {
        guard behaviour.checksCallerLogin else { return }
        try requireWritable(record.flags, client: caller)
    }

    /// The login rule for PKEY_DELETE and PKEY_SET_ATTRIBUTES: `writable(key flags)` for the
    /// caller (``FirmwareBehaviour/checksCallerLogin``), or on the reference for the client
    /// that opened the handle, whoever asks (§4.2), else 26.
    func requireMayModify(_ record: KeyRecord, openedAs entry: PKeyHandleTable.Entry, caller: ClientHandle) throws(HALError) {
        try requireWritable(record.flags, client: behaviour.checksCallerLogin ? caller : entry.client)
    }

    /// Stores a new key and opens a handle on it for `client`: the common tail of LOAD,
    /// GENERATE_* and IMPORT. The handle slot is taken first (23), so a full handle table
    /// leaves no orphan key behind.
    func storeNewKey(
        type: KeyType, curve: Curve, flags: KeyFlags, material: StoredMaterial, entries: Int = 1,
        client: ClientHandle, session: SessionHandle, name: KeyName? = nil
    ) throws(HALError) -> NewKey {
        let name = name ?? keystore.freshName()
        let handle = try pkeys.open(name, token: flags.contains(.token), client: client, session: session)
        let record = KeyRecord(name: name, type: type, curve: curve, flags: flags, material: material,
                               attributes: [], owner: client, entries: entries)
        do {
            try keystore.insert(record)
        } catch {
            pkeys.close(handle, caller: client)
            throw error
        }
        logger.debug("key stored", metadata: ["emulator.key": "\(name)", "emulator.type": "\(type)", "emulator.flags": "\(flags)"])
        return NewKey(pkey: handle, name: name)
    }
}
