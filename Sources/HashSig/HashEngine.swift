/// A SHA-256 implementation that verification can run on.
///
/// The default is ``OpenSSLHashEngine``, which the synchronous `verify` methods use through an
/// internal fast path (pre-padded blocks, no allocation). Other engines — such as one that sends
/// each hash to an Alpha board's hash cores over RPC — plug into
/// ``HSS/PublicKey/verify(signature:for:using:)``; the methods are `async` so that a slow engine
/// suspends rather than blocking a thread.
public protocol HashEngine: Sendable {
    /// SHA-256 of `message`: 32 bytes.
    func sha256(_ message: [UInt8]) async throws -> [UInt8]

    /// SHA-256 of each of `messages`, in order.
    ///
    /// The inputs are independent (one step of many Winternitz chains), so an engine with
    /// round-trip latency can pipeline them. The default hashes them one at a time.
    func sha256(batch messages: [[UInt8]]) async throws -> [[UInt8]]
}

extension HashEngine {
    /// Hashes one message at a time, in order: right for an engine without round-trip latency;
    /// an engine that can pipeline overrides it.
    public func sha256(batch messages: [[UInt8]]) async throws -> [[UInt8]] {
        var digests: [[UInt8]] = []
        digests.reserveCapacity(messages.count)
        for message in messages {
            digests.append(try await sha256(message))
        }
        return digests
    }
}
