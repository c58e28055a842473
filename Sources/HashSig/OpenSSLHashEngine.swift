/// SHA-256 from OpenSSL's libcrypto, the default ``HashEngine``.
///
/// Passed to ``HSS/PublicKey/verify(signature:for:using:)``, it takes the same internal fast
/// path as the synchronous `verify` methods rather than hashing message by message.
public struct OpenSSLHashEngine: HashEngine {
    /// The engine is stateless; every instance is the same.
    public init() {}

    /// SHA-256 of `message` by libcrypto; never throws.
    public func sha256(_ message: [UInt8]) async throws -> [UInt8] {
        HashSig.sha256(message)
    }

    /// SHA-256 of each message by libcrypto, in order; never throws.
    public func sha256(batch messages: [[UInt8]]) async throws -> [[UInt8]] {
        messages.map(HashSig.sha256)
    }
}
