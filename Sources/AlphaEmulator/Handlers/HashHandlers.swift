import HalRPC

// HASH_GET_DIGEST_LEN (7) … HASH_FINALIZE (12): docs/wire-protocol.md §4.3, §7.
extension AlphaServer {
    /// Unknown algorithm (0, SHA-224, > 7) → 1.
    func hashGetDigestLength(_ args: RPC.HashGetDigestLength.Request) throws(HALError) -> RPC.HashGetDigestLength.Reply {
        guard args.algorithm.isServedByHashRPC, let length = args.algorithm.digestLength else { throw .badArguments }
        return .init(length: UInt32(length))
    }

    /// `4 + pad4(len_max) > 16372` → 29; len_max = 0 asks for the length alone; unknown
    /// algorithm → 1; len_max smaller than the DER → 14.
    func hashGetDigestAlgorithmID(_ args: RPC.HashGetDigestAlgorithmID.Request) throws(HALError) -> RPC.HashGetDigestAlgorithmID.Reply {
        guard !RPC.HashGetDigestAlgorithmID.overflowsPacket(args) else { throw .rpcPacketOverflow }
        guard args.algorithm.isServedByHashRPC, let identifier = args.algorithm.algorithmIdentifier else { throw .badArguments }
        let der = identifier.der
        if args.maximumLength == 0 { return .length(UInt32(der.count)) }
        guard der.count <= Int(args.maximumLength) else { throw .resultTooLong }
        return .der(der)
    }

    /// Handle 0 or unknown (another client's, when bound) → 1.
    func hashGetAlgorithm(_ args: RPC.HashGetAlgorithm.Request, client: ClientHandle) throws(HALError) -> RPC.HashGetAlgorithm.Reply {
        .init(algorithm: try hashes.algorithm(args.hash, caller: client))
    }

    /// Unknown algorithm (incl. SHA-224) → 1; no free slot → 13.
    func hashInitialize(_ args: RPC.HashInitialize.Request, client: ClientHandle) throws(HALError) -> RPC.HashInitialize.Reply {
        .init(hash: try hashes.open(args.algorithm, key: args.key, client: client, session: args.session))
    }

    /// Handle 0 or unknown (another client's, when bound) → 1; empty data is a no-op.
    func hashUpdate(_ args: RPC.HashUpdate.Request, client: ClientHandle) throws(HALError) -> NoResults {
        try hashes.update(args.hash, args.data, caller: client)
        return NoResults()
    }

    /// Length 0 → 1 (handle kept); `4 + pad4(length) > 16372` → 29; unknown handle (another
    /// client's, when bound) → 1; length shorter than the digest → 1 and the handle is freed
    /// anyway. The reply's opaque has the *requested* length: the digest, then zeros (the
    /// board zero-fills its reply buffer, docs/wire-protocol.md §1.4). The handle is freed.
    func hashFinalize(_ args: RPC.HashFinalize.Request, client: ClientHandle) throws(HALError) -> RPC.HashFinalize.Reply {
        guard args.length > 0 else { throw .badArguments }
        guard !RPC.HashFinalize.overflowsPacket(args) else { throw .rpcPacketOverflow }
        guard let digestLength = hashes.digestLength(args.hash, caller: client) else { throw .badArguments }
        guard Int(args.length) >= digestLength else {
            hashes.release(args.hash, caller: client)
            throw .badArguments
        }
        var digest = try hashes.finalize(args.hash, caller: client).digest
        digest += [UInt8](repeating: 0, count: Int(args.length) - digest.count)
        return .init(digest: digest)
    }
}
