nonisolated extension HSMClient {
    /// `hal_rpc_get_version`: the firmware's RPC version word (``RPCLimits/version``).
    /// - Parameter timeout: overrides ``RPCTimeout/short``.
    /// - Throws: ``HSMClientError``.
    public func getVersion(timeout: Duration? = nil) async throws -> UInt32 {
        try await perform(RPC.GetVersion.self, NoArguments(), timeout: timeout).version
    }

    /// GET_VERSION, asked again while it goes unanswered, until `patience` is spent: a board
    /// still starting, or a muxd still opening the board's tty, leaves the first requests
    /// unanswered. Every program that reaches a board it may have just started waits this way.
    /// - Parameters:
    ///   - patience: how long to keep asking.
    ///   - attempt: how long each request waits for its reply.
    /// - Returns: the version word of the first answer.
    /// - Throws: ``HSMClientError/timeout(function:after:requestSent:)`` once `patience` is
    ///   spent; any other ``HSMClientError`` at once (a refused socket is not a slow board).
    public func waitUntilAnswering(patience: Duration = .seconds(30), attempt: Duration = .milliseconds(500)) async throws -> UInt32 {
        let clock = ContinuousClock()
        let deadline = clock.now + patience
        while true {
            do {
                return try await getVersion(timeout: attempt)
            } catch HSMClientError.timeout where clock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
            }
        }
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
