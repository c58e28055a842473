import HalRPC

// GET_VERSION (0), GET_RANDOM (1), CHECK_TAMPER (66): rpc-wire.md §4.2, §4.3.
extension AlphaServer {
    func getVersion() -> RPC.GetVersion.Reply {
        RPC.GetVersion.Reply(version: RPCLimits.version)
    }

    /// `4 + pad4(length) > 16372` → 29 (so at most 16368 bytes); 0 → an empty opaque.
    func getRandom(_ args: RPC.GetRandom.Request) throws(HALError) -> RPC.GetRandom.Reply {
        guard UInt64(args.count) <= UInt64(RPC.GetRandom.maximumCount) else { throw .rpcPacketOverflow }
        return RPC.GetRandom.Reply(bytes: try randomBytes(Int(args.count)))
    }

    /// DKS: status 0, or 50 when the emulator was started with `--tamper`.
    func checkTamper() throws(HALError) -> NoResults {
        if configuration.tamper { throw .tamper }
        return NoResults()
    }
}

/// The reply-size rule of rpc-wire.md §4.3: `4 + pad4(n)` bytes must fit the 16372-byte reply
/// space, computed without the 32-bit wrap of the reference (§13.16).
func fitsReplySpace(opaqueOf length: UInt32, plus extra: Int = 0) -> Bool {
    let padded = (UInt64(length) + 3) & ~3
    return 4 + padded + UInt64(extra) <= UInt64(RPCLimits.replySpace)
}
