import HalRPC

// GET_VERSION (0), GET_RANDOM (1), CHECK_TAMPER (66): docs/wire-protocol.md §4.2, §4.3.
extension AlphaServer {
    func getVersion() -> RPC.GetVersion.Reply {
        RPC.GetVersion.Reply(version: RPCLimits.version)
    }

    /// `4 + pad4(length) > 16372` → 29 (so at most 16368 bytes); 0 → an empty opaque.
    func getRandom(_ args: RPC.GetRandom.Request) throws(HALError) -> RPC.GetRandom.Reply {
        guard !RPC.GetRandom.overflowsPacket(args) else { throw .rpcPacketOverflow }
        return RPC.GetRandom.Reply(bytes: try randomBytes(Int(args.count)))
    }

    /// DKS: status 0, or 50 when the emulator was started with `--tamper`.
    func checkTamper() throws(HALError) -> NoResults {
        if configuration.tamper { throw .tamper }
        return NoResults()
    }
}
