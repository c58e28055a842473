import Foundation
import HalRPC

/// One test of the suite, the same against real boards and software Alphas.
struct HILTest: Sendable {
    /// The area, e.g. `rpc`, `crypto`, `hashsig` (the JUnit class name is `hil.<group>`).
    let group: String
    let name: String
    /// Keys the test generates on the boards (deleted when it ends).
    let keysGenerated: Int
    /// One-time keys (hashsig leaves) it consumes, all of hashsig keys it generates itself:
    /// one per signature, one per lower tree signed by the top tree at key generation or import.
    let oneTimeKeys: Int
    /// Boards it needs; with fewer it is skipped.
    let boardsNeeded: Int
    let body: @Sendable (HILContext) async throws -> Void

    init(_ group: String, _ name: String, keys: Int = 0, oneTimeKeys: Int = 0, boards: Int = 1,
         _ body: @escaping @Sendable (HILContext) async throws -> Void) {
        self.group = group
        self.name = name
        self.keysGenerated = keys
        self.oneTimeKeys = oneTimeKeys
        self.boardsNeeded = boards
        self.body = body
    }
}

/// The suite, in the order it runs.
enum HILSuite {
    static let all: [HILTest] = [
        HILTest("rpc", "version: the board speaks RPC protocol 1.1", RPCTests.version),
        HILTest("rpc", "random: GET_RANDOM returns fresh bytes of the length asked", RPCTests.random),
        HILTest("rpc", "login: a wrong PIN is refused, the right one logs in, logout logs out", RPCTests.login),
        HILTest("crypto", "hash: SHA-1/256/384/512 and HMAC-SHA-256 on the board match the host", CryptoTests.hash),
        HILTest("crypto", "RSA: a 2048-bit key signs; the board and the host verify; a changed signature fails",
                keys: 1, CryptoTests.rsa),
        HILTest("crypto", "EC: P-256 and P-384 keys sign; the board and the host verify; a changed signature fails",
                keys: 2, CryptoTests.ec),
        HILTest("hashsig", "hashsig: keygen L=2 H5/W4, three signatures on fresh leaves, verified on the host and the board",
                keys: 1, oneTimeKeys: 4, HashsigTests.keygenSignVerify),
        HILTest("hashsig", "share: 8 of 32 leaves from board A to B (SX1; stock firmware: the halving 16/16), both sign inside their shares, clean audit",
                keys: 3, oneTimeKeys: 9, boards: 2, HashsigTests.shareExportImport),
        HILTest("muxd", "muxd: 8 concurrent clients each get their own replies and their own login", MuxdTests.concurrentClients),
    ]
}

/// What a test gets: the target's boards, a scratch directory, and a place for notes that
/// end up in the JUnit report.
final class HILContext: @unchecked Sendable {
    let target: HILTarget
    /// Removed after the test.
    let directory: String
    private let lock = NSLock()
    private var lines: [String] = []

    init(target: HILTarget, directory: String) {
        self.target = target
        self.directory = directory
    }

    /// A line for the report (`<system-out>`), also shown when the test fails.
    func log(_ line: String) {
        lock.withLock { lines.append(line) }
    }

    var output: [String] { lock.withLock { lines } }
}

/// A check that did not hold: a test failure, as opposed to an error the board or the link
/// raised.
struct HILCheckFailure: Error, CustomStringConvertible {
    let description: String
}

/// Fails the test with `message` unless `condition` holds.
func check(_ condition: Bool, _ message: @autoclosure () -> String) throws {
    if !condition { throw HILCheckFailure(description: message()) }
}

/// Runs `body` with `key`, and deletes the key afterwards however `body` ends.
func deleting<T>(_ key: PKey, _ body: (PKey) async throws -> T) async throws -> T {
    do {
        let result = try await body(key)
        try await key.delete()
        return result
    } catch {
        try? await key.delete()
        throw error
    }
}
