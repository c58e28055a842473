nonisolated extension HSMClient {
    /// `hal_rpc_get_version`: the firmware's RPC version word (``RPCLimits/version``).
    /// - Parameter timeout: overrides ``RPCTimeout/short``.
    /// - Throws: ``HSMClientError``.
    public func getVersion(timeout: Duration? = nil) async throws -> UInt32 {
        try await perform(RPC.GetVersion.self, NoArguments(), timeout: timeout).version
    }

    /// `hal_rpc_get_random`: bytes from the board's TRNG.
    /// - Parameters:
    ///   - count: 0…``RPC/GetRandom/maximumCount`` bytes.
    ///   - timeout: overrides ``RPCTimeout/short``.
    /// - Throws: ``HSMClientError/invalidArgument(_:)`` for a count out of range (nothing is
    ///   sent), or another ``HSMClientError``.
    public func getRandom(count: Int, timeout: Duration? = nil) async throws -> [UInt8] {
        guard (0...RPC.GetRandom.maximumCount).contains(count) else {
            throw HSMClientError.invalidArgument("random byte count \(count) not in 0...\(RPC.GetRandom.maximumCount)")
        }
        return try await perform(RPC.GetRandom.self, .init(count: UInt32(count)), timeout: timeout).bytes
    }

    /// `hal_rpc_check_tamper` (DKS firmware): returns when no tamper event occurred.
    /// - Parameter timeout: overrides ``RPCTimeout/short``.
    /// - Throws: ``HSMClientError/device(_:)`` with ``HALError/tamper`` after a tamper event,
    ///   ``HALError/rpcBadFunction`` on firmware without the call; another ``HSMClientError``.
    public func checkTamper(timeout: Duration? = nil) async throws {
        _ = try await perform(RPC.CheckTamper.self, NoArguments(), timeout: timeout)
    }

    /// A byte count for a `u32` size argument.
    static func wireLength(_ value: Int, _ what: String) throws(HSMClientError) -> UInt32 {
        guard let word = UInt32(exactly: value) else { throw .invalidArgument("\(what) \(value) out of range") }
        return word
    }
}
