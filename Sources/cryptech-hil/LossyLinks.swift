import AlphaEmulator
import HalRPC

/// What the suite does differently on links that lose or damage replies (`--lossy-links`,
/// which `tools/hil --fault` gives): an application's answer to a lost reply of a call that
/// changes state is to start the operation over, and a flipped bit in a success reply is
/// invisible to the protocol (it has no checksum). Without the flag every such event fails.
enum LossyLinks {
    /// How many times one operation is started in all on a lossy link.
    static let operationAttempts = 5
    /// How many times a failing test is run in all on a lossy link.
    static let testAttempts = 3

    /// A result one bit away from the host's: on a lossy link, damage on the way.
    struct DamagedResult: Error, CustomStringConvertible {
        let what: String
        var description: String { "\(what): one bit differs from the host's value (damaged on the link)" }
    }

    /// Runs `operation`, and on a lossy link again from its start (at most
    /// ``operationAttempts`` times in all) when a reply was lost or damaged, saying so in the
    /// test's report.
    static func repeating<T>(_ what: String, _ context: HILContext, _ operation: () async throws -> T) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await operation()
            } catch where context.target.lossyLinks && attempt < operationAttempts && isLinkDamage(error) {
                context.log("\(what): attempt \(attempt) hit the lossy link (\(error)); starting it over")
                attempt += 1
            }
        }
    }

    /// Whether `error` is a lost or damaged reply, or a result damaged on the way.
    static func isLinkDamage(_ error: any Error) -> Bool {
        if let error = error as? HSMClientError { return error.isLostOrDamagedReply }
        return error is DamagedResult
    }

    /// Whether `received` is `expected` with exactly one bit flipped.
    static func oneBitApart(_ received: [UInt8], _ expected: [UInt8]) -> Bool {
        received.count == expected.count && zip(received, expected).reduce(0) { $0 + ($1.0 ^ $1.1).nonzeroBitCount } == 1
    }

    /// The board's digest of `parts` (one HASH_UPDATE each), checked against the host's
    /// OpenSSL: a different digest fails the test, except one a bit away on a lossy link,
    /// which is computed again like a lost reply.
    static func checkedDigest(_ client: HSMClient, _ algorithm: DigestAlgorithm, hmacKey: [UInt8] = [], parts: [[UInt8]],
                              what: String, _ context: HILContext) async throws {
        let input = parts.flatMap { $0 }
        let host = hmacKey.isEmpty ? try DigestContext.hash(algorithm, input) : try DigestContext.hmac(algorithm, key: hmacKey, input)
        try await repeating(what, context) {
            let digest = try await client.digest(algorithm: algorithm, hmacKey: hmacKey)
            do {
                for part in parts { try await digest.update(part) }
            } catch {
                // Frees the board's hash slot when the update's reply alone was lost.
                _ = try? await digest.finalize()
                throw error
            }
            let board = try await digest.finalize()
            if board != host, context.target.lossyLinks, oneBitApart(board, host) { throw DamagedResult(what: what) }
            try check(board == host, "\(what): the board and the host differ")
        }
    }
}
