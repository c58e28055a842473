import HalRPC

// PKEY_GET_PUBLIC_KEY_LEN (21), PKEY_GET_PUBLIC_KEY (22): docs/wire-protocol.md §4.3.
extension AlphaServer {
    /// Always status 0; the length is 0 for an unknown handle (another client's, when bound)
    /// or any failure (the reference's signalling, §13.23). 85 for hashsig keys.
    func pkeyGetPublicKeyLength(_ args: PKeyArgument, client: ClientHandle) -> RPC.PKeyGetPublicKeyLength.Reply {
        guard let record = try? openKey(args.pkey, caller: client).record,
              let der = try? UsableKey(record).publicKeyDER(stored: record) else { return .init(length: 0) }
        return .init(length: UInt32(der.count))
    }

    /// `4 + pad4(der_max) > 16372` → 29; unknown handle (another client's, when bound) → 21;
    /// der_max below the DER length (0 included) → 14.
    func pkeyGetPublicKey(_ args: RPC.PKeyGetPublicKey.Request, client: ClientHandle) throws(HALError) -> RPC.PKeyGetPublicKey.Reply {
        guard !RPC.PKeyGetPublicKey.overflowsPacket(args) else { throw .rpcPacketOverflow }
        let record = try openKey(args.pkey, caller: client).record
        let der = try UsableKey(record).publicKeyDER(stored: record)
        guard der.count <= Int(args.maximumLength) else { throw .resultTooLong }
        return .init(der: der)
    }
}
