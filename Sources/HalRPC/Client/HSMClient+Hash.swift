nonisolated extension HSMClient {
    /// `hal_rpc_hash_get_digest_length`.
    /// - Parameters:
    ///   - algorithm: the algorithm.
    ///   - timeout: overrides ``RPCTimeout/short``.
    /// - Throws: ``HSMClientError``, `.device(.badArguments)` for an algorithm the RPC hash
    ///   functions do not serve.
    public func hashGetDigestLength(algorithm: DigestAlgorithm, timeout: Duration? = nil) async throws -> Int {
        Int(try await perform(RPC.HashGetDigestLength.self, .init(algorithm: algorithm), timeout: timeout).length)
    }

    /// `hal_rpc_hash_get_digest_algorithm_id`: the algorithm's DER AlgorithmIdentifier.
    /// - Parameters:
    ///   - algorithm: the algorithm.
    ///   - maximumLength: the most bytes wanted, 1…16368 (256 as in the Python client).
    ///   - timeout: overrides ``RPCTimeout/short``.
    /// - Throws: ``HSMClientError``.
    public func hashGetDigestAlgorithmID(algorithm: DigestAlgorithm, maximumLength: Int = 256, timeout: Duration? = nil) async throws -> [UInt8] {
        guard (1...RPCLimits.maximumResultOpaque).contains(maximumLength) else {
            throw HSMClientError.invalidArgument("maximum length \(maximumLength) not in 1...\(RPCLimits.maximumResultOpaque)")
        }
        let request = RPC.HashGetDigestAlgorithmID.Request(algorithm: algorithm, maximumLength: UInt32(maximumLength))
        switch try await perform(RPC.HashGetDigestAlgorithmID.self, request, timeout: timeout) {
        case .der(let der): return der
        case .length: throw HSMClientError.unexpectedReply(function: .hashGetDigestAlgorithmID, reason: "length instead of DER")
        }
    }

    /// `hal_rpc_hash_get_digest_algorithm_id` with `len_max` 0: the DER's length only.
    /// - Parameters:
    ///   - algorithm: the algorithm.
    ///   - timeout: overrides ``RPCTimeout/short``.
    /// - Throws: ``HSMClientError``.
    public func hashGetDigestAlgorithmIDLength(algorithm: DigestAlgorithm, timeout: Duration? = nil) async throws -> Int {
        let request = RPC.HashGetDigestAlgorithmID.Request(algorithm: algorithm, maximumLength: 0)
        switch try await perform(RPC.HashGetDigestAlgorithmID.self, request, timeout: timeout) {
        case .length(let length): return Int(length)
        case .der: throw HSMClientError.unexpectedReply(function: .hashGetDigestAlgorithmID, reason: "DER instead of length")
        }
    }

    /// `hal_rpc_hash_get_algorithm`: the algorithm of a running hash.
    /// - Parameters:
    ///   - hash: the hash handle.
    ///   - timeout: overrides ``RPCTimeout/short``.
    /// - Throws: ``HSMClientError``.
    public func hashGetAlgorithm(hash: HashHandle, timeout: Duration? = nil) async throws -> DigestAlgorithm {
        try await perform(RPC.HashGetAlgorithm.self, .init(hash: hash), timeout: timeout).algorithm
    }

    /// `hal_rpc_hash_initialize`: starts a hash, or an HMAC with `key`. ``digest(algorithm:hmacKey:session:)``
    /// wraps the handle.
    /// - Parameters:
    ///   - algorithm: the digest algorithm.
    ///   - key: the HMAC key; empty for a plain hash.
    ///   - session: the session word (unchecked by the board).
    ///   - timeout: overrides ``RPCTimeout/short``.
    /// - Throws: ``HSMClientError``.
    public func hashInitialize(algorithm: DigestAlgorithm, key: [UInt8] = [], session: SessionHandle = .zero, timeout: Duration? = nil) async throws -> HashHandle {
        try await perform(RPC.HashInitialize.self, .init(session: session, algorithm: algorithm, key: key), timeout: timeout).hash
    }

    /// `hal_rpc_hash_update`: feeds `data` to a running hash, in as many requests as it takes
    /// (at most ``RPC/HashUpdate/maximumChunk`` bytes each).
    /// - Parameters:
    ///   - hash: the hash handle.
    ///   - data: the bytes; empty is a no-op.
    ///   - timeout: overrides ``RPCTimeout/short``, for each request.
    /// - Throws: ``HSMClientError``.
    public func hashUpdate(hash: HashHandle, data: [UInt8], timeout: Duration? = nil) async throws {
        var start = 0
        repeat {
            let end = min(start + RPC.HashUpdate.maximumChunk, data.count)
            _ = try await perform(RPC.HashUpdate.self, .init(hash: hash, data: Array(data[start..<end])), timeout: timeout)
            start = end
        } while start < data.count
    }

    /// `hal_rpc_hash_finalize`: the digest; the board frees the handle.
    /// - Parameters:
    ///   - hash: the hash handle.
    ///   - length: the digest length wanted (at least the algorithm's).
    ///   - timeout: overrides ``RPCTimeout/short``.
    /// - Throws: ``HSMClientError``.
    public func hashFinalize(hash: HashHandle, length: Int, timeout: Duration? = nil) async throws -> [UInt8] {
        guard (1...RPCLimits.maximumResultOpaque).contains(length) else {
            throw HSMClientError.invalidArgument("digest length \(length) not in 1...\(RPCLimits.maximumResultOpaque)")
        }
        return try await perform(RPC.HashFinalize.self, .init(hash: hash, length: UInt32(length)), timeout: timeout).digest
    }
}
