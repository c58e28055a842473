import HalRPC

// PKEY_GENERATE_RSA (15), PKEY_GENERATE_EC (16): docs/wire-protocol.md §4.3.
extension AlphaServer {
    /// Key length 0 or not a multiple of 8, empty exponent, bad flags → 1; not writable → 26;
    /// no handle slot → 23; a length outside 1024…4096 → 2; an even or too small exponent → 1.
    func pkeyGenerateRSA(_ args: RPC.PKeyGenerateRSA.Request, client: ClientHandle) throws(HALError) -> NewKey {
        guard args.keyLength > 0, args.keyLength % 8 == 0, !args.publicExponent.isEmpty else { throw .badArguments }
        try Self.checkFlags(args.flags)
        try requireWritable(args.flags, client: client)
        try pkeys.requireFreeSlot()
        let der: [UInt8]
        do {
            der = try RSAPrivateKey.generate(bits: Int(args.keyLength), publicExponent: args.publicExponent).privateKeyInfo()
        } catch {
            throw error.halError
        }
        return try storeNewKey(type: .rsaPrivate, curve: .none, flags: args.flags, material: .der(der),
                               client: client, session: args.session)
    }

    /// Curve not P-256/P-384/P-521 or bad flags → 1; not writable → 26; no handle slot → 23.
    func pkeyGenerateEC(_ args: RPC.PKeyGenerateEC.Request, client: ClientHandle) throws(HALError) -> NewKey {
        guard args.curve == .p256 || args.curve == .p384 || args.curve == .p521 else { throw .badArguments }
        try Self.checkFlags(args.flags)
        try requireWritable(args.flags, client: client)
        try pkeys.requireFreeSlot()
        let der: [UInt8]
        do {
            der = try ECPrivateKey.generate(curve: args.curve).privateKeyInfo()
        } catch {
            throw error.halError
        }
        return try storeNewKey(type: .ecPrivate, curve: args.curve, flags: args.flags, material: .der(der),
                               client: client, session: args.session)
    }
}
