/// A running hash or HMAC on the board. ``finalize()``, or signing or verifying with it,
/// frees the board's handle, after which the value must not be used.
public struct Digest: Hashable, Sendable {
    /// The client the handle belongs to.
    public let client: HSMClient
    /// The board's handle for the running hash, from HASH_INITIALIZE.
    public let handle: HashHandle
    /// The digest algorithm the hash was started with; it sets the length ``finalize()`` asks for.
    public let algorithm: DigestAlgorithm

    /// Wraps a handle obtained from ``HSMClient/hashInitialize(algorithm:key:session:timeout:)``.
    public init(client: HSMClient, handle: HashHandle, algorithm: DigestAlgorithm) {
        self.client = client
        self.handle = handle
        self.algorithm = algorithm
    }

    public static func == (a: Digest, b: Digest) -> Bool {
        a.client === b.client && a.handle == b.handle && a.algorithm == b.algorithm
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(ObjectIdentifier(client))
        hasher.combine(handle)
        hasher.combine(algorithm)
    }

    /// Feeds `data` to the hash (split into as many requests as it takes).
    /// - Throws: ``HSMClientError``; `.damagedReply` of HASH_INITIALIZE when the board knows
    ///   no hash by this handle: damaged in its reply, or finished already.
    public func update(_ data: [UInt8]) async throws {
        try await checkingHandle { try await client.hashUpdate(hash: handle, data: data) }
    }

    /// The digest (or HMAC); frees the board's handle.
    /// - Throws: ``HSMClientError``; `.damagedReply` of HASH_INITIALIZE as for ``update(_:)``.
    public func finalize() async throws -> [UInt8] {
        let length: Int
        if let known = algorithm.digestLength {
            length = known
        } else {
            length = try await client.hashGetDigestLength(algorithm: algorithm)
        }
        // docs/wire-protocol.md §4.3: the reply holds as many bytes as asked for; the digest leads.
        return Array(try await checkingHandle { try await client.hashFinalize(hash: handle, length: length) }.prefix(length))
    }

    /// Runs `call` on the handle; when the board answers `HAL_ERROR_BAD_ARGUMENTS`, asks it
    /// for the handle's algorithm. A board that knows no hash by the handle, or one of another
    /// algorithm, was given a handle the link damaged in HASH_INITIALIZE's reply (the protocol
    /// has no checksum), unless the hash was finished already: that is reported as a damaged
    /// reply, whose remedy is a new hash, not as the board refusing the call's arguments.
    private func checkingHandle<T>(_ call: () async throws -> T) async throws -> T {
        do {
            return try await call()
        } catch HSMClientError.device(.badArguments) {
            let known: DigestAlgorithm?
            do {
                known = try await client.hashGetAlgorithm(hash: handle)
            } catch HSMClientError.device(.badArguments) {
                known = nil
            }
            guard known == algorithm else {
                throw HSMClientError.damagedReply(function: .hashInitialize, reason: known == nil
                    ? "the board knows no hash by the handle it gave (\(handle)): damaged on the link, or the hash was finished already"
                    : "the handle it gave (\(handle)) names a \(known!) hash on the board, not \(algorithm)")
            }
            throw HSMClientError.device(.badArguments)
        }
    }
}
