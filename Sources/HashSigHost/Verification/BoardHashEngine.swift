import HalRPC
import HashSig

/// SHA-256 on an Alpha board's hash cores: HASH_INITIALIZE, HASH_UPDATE, HASH_FINALIZE for
/// every hash (docs/wire-protocol.md §7).
///
/// Slow — three round trips per hash, about 1,100 hashes for an L = 2, H10/W4 signature — but
/// hardware-backed. The hashes of a batch go one after the other: the board serves one request
/// at a time, and each hash holds one of its 32 hash slots until finalized.
public struct BoardHashEngine: HashEngine {
    /// The board's client.
    public let client: HSMClient

    /// - Parameter client: the client of the board whose hash cores are used.
    public init(client: HSMClient) {
        self.client = client
    }

    /// - Throws: `HSMClientError` when the board fails or goes away.
    public func sha256(_ message: [UInt8]) async throws -> [UInt8] {
        let hash = try await client.hashInitialize(algorithm: .sha256)
        do {
            try await client.hashUpdate(hash: hash, data: message)
        } catch {
            // Free the board's slot; the update's error is the one to report.
            _ = try? await client.hashFinalize(hash: hash, length: 32)
            throw error
        }
        // docs/wire-protocol.md §4.3: the reply holds as many bytes as asked for, the digest first.
        return Array(try await client.hashFinalize(hash: hash, length: 32).prefix(32))
    }
}

extension VerificationPolicy {
    /// Verify with `client`'s board hash cores.
    /// - Parameters:
    ///   - client: a client of the board whose hash cores compute the SHA-256s.
    ///   - board: how to name the board in messages.
    public static func board(_ client: HSMClient, name board: String) -> VerificationPolicy {
        VerificationPolicy(engine: BoardHashEngine(client: client), name: "board \(board)")
    }
}
