import HalRPC

// PKEY_IMPORT (30): docs/wire-protocol.md §4.3, §9.3, §8.7.
extension AlphaServer {
    /// Wrapped KEK ≤ 2 bytes → 1; unknown KEKEK (another client's, when bound) → 21; KEKEK without KEYENCIPHERMENT → 26;
    /// KEKEK not RSA_PRIVATE → 2; then §9.3: either structure malformed → 15, unwrap failure
    /// → 9/10/11 (a wrong KEK is indistinguishable from a bad one: no padding oracle); the key
    /// is then loaded as PKEY_LOAD does with the request's flags (1, 26), or installed as a
    /// hashsig share (§8.7), under a new UUID.
    func pkeyImport(_ args: RPC.PKeyImport.Request, client: ClientHandle) throws(HALError) -> NewKey {
        guard args.kek.count > 2 else { throw .badArguments }
        let kekek = try openKey(args.kekek, caller: client).record
        guard kekek.flags.contains(.keyEncipherment) else { throw .forbidden }
        guard case .loaded(.rsaPrivate(let unwrappingKey)) = try UsableKey(kekek) else { throw .unsupportedKey }
        var der = try crypto { () throws(CryptoError) in
            try KeyBackup.importKey(pkcs8: args.pkcs8, kek: args.kek, kekek: unwrappingKey)
        }
        defer { der.zeroise() }
        try Self.checkFlags(args.flags)
        try requireWritable(args.flags, client: client)
        let material = try crypto { () throws(CryptoError) in try KeyMaterial(der: der) }
        return try storeLoadedKey(material, der: der, flags: args.flags, client: client, session: args.session)
    }
}
