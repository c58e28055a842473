import HalRPC

// PKEY_OPEN (14), PKEY_CLOSE (17), PKEY_DELETE (18): docs/wire-protocol.md §4.3.
extension AlphaServer {
    /// Name length ≠ 16 → 31 (while decoding); not NORMAL/WHEEL → 26; no slot → 23; token
    /// keystore first, then volatile; a volatile key another client created is not found (21).
    func pkeyOpen(_ args: RPC.PKeyOpen.Request, client: ClientHandle) throws(HALError) -> RPC.PKeyOpen.Reply {
        guard users.isUserOrWheel(client) else { throw .forbidden }
        try pkeys.requireFreeSlot()
        guard let record = keystore.record(args.name), isVisible(record, to: client) else { throw .keyNotFound }
        return .init(pkey: try pkeys.open(record.name, token: record.isToken, client: client, session: args.session))
    }

    /// Unknown handle (another client's, when bound) → 21.
    func pkeyClose(_ args: PKeyArgument, client: ClientHandle) throws(HALError) -> NoResults {
        guard pkeys.close(args.pkey, caller: client) else { throw .keyNotFound }
        return NoResults()
    }

    /// Unknown handle (another client's, when bound) → 21; writable(key flags) for the caller
    /// (SX1) or for the client that opened the handle (reference) → 26; a hashsig private key
    /// during the start-up rebuild → 49. The handle is released when the key is deleted or was
    /// already gone.
    func pkeyDelete(_ args: PKeyArgument, client: ClientHandle) throws(HALError) -> NoResults {
        let entry = try pkeys.entry(args.pkey, caller: client)
        guard let record = keystore.record(entry.name) else {
            pkeys.close(args.pkey, caller: client)
            return NoResults()
        }
        try requireMayModify(record, openedAs: entry, caller: client)
        if record.material.hashsig != nil {
            try hashsig.requireReady()
            // Under the key's lock, so no signature is half made while its key disappears.
            if let live = hashsig.key(record.name) {
                _ = try live.withKey { (_) throws(HALError) in
                    try keystore.remove(record.name)
                }
                hashsig.remove(record.name)
            } else {
                try keystore.remove(record.name)
            }
        } else {
            try keystore.remove(record.name)
        }
        pkeys.close(args.pkey, caller: client)
        logger.debug("key deleted", metadata: ["emulator.key": "\(record.name)"])
        return NoResults()
    }
}
