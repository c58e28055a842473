import HalRPC

// PKEY_LOAD (13): docs/wire-protocol.md §4.3.
extension AlphaServer {
    /// Empty DER or flags outside `0x3F` → 1; not writable → 26; DER as PKCS#8, else SPKI;
    /// another algorithm → 2; malformed → 15; no handle slot → 23; a fresh v4 UUID; token or
    /// volatile keystore by the TOKEN flag. A hashsig private key record loads the way an
    /// imported share does (§8.7).
    func pkeyLoad(_ args: RPC.PKeyLoad.Request, client: ClientHandle) throws(HALError) -> NewKey {
        guard !args.der.isEmpty else { throw .badArguments }
        try Self.checkFlags(args.flags)
        try requireWritable(args.flags, client: client)
        let material: KeyMaterial
        do {
            material = try KeyMaterial(der: args.der)
        } catch {
            throw error.halError
        }
        return try storeLoadedKey(material, der: args.der, flags: args.flags, client: client, session: args.session)
    }

    /// Stores a key identified from DER, by LOAD or by IMPORT after unwrapping.
    func storeLoadedKey(_ material: KeyMaterial, der: [UInt8], flags: KeyFlags, client: ClientHandle, session: SessionHandle) throws(HALError) -> NewKey {
        if case .hashsigPrivate(let share) = material {
            return try installHashsigShare(share, flags: flags, client: client, session: session)
        }
        guard der.count <= KeystoreCapacity.maximumDER else { throw .resultTooLong }
        return try storeNewKey(type: material.keyType, curve: material.curve, flags: flags, material: .der(der),
                               client: client, session: session)
    }
}
