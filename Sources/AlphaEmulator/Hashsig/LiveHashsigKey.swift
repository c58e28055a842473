import HalRPC
import HashSig
import Synchronization

/// A hashsig private key ready to sign: its HSS trees in memory (the top tree rebuilt from its
/// SEED, the lower trees fresh), with one lock that covers a signature *and* the persisting of
/// the index it consumed, so no signature leaves before its index is on disk (design.md,
/// "The software Alpha").
final class LiveHashsigKey: Sendable {
    let name: KeyName
    /// `nil` when the key could not get lower trees at start because its top range is used up:
    /// every signature attempt answers HASHSIG_KEY_EXHAUSTED.
    private let key: HSS.PrivateKey?
    private let lock = Mutex<Void>(())

    init(name: KeyName, key: HSS.PrivateKey?) {
        self.name = name
        self.key = key
    }

    /// Runs `body` with the key, excluding every other signature and range change on it.
    func withKey<R>(_ body: (HSS.PrivateKey?) throws(HALError) -> R) throws(HALError) -> R {
        try lock.withLock { (_: inout Void) throws(HALError) -> R in try body(key) }
    }
}

/// The live hashsig keys and the board's readiness: after a start, hashsig operations answer
/// HAL_ERROR_NOT_READY until every key's trees are rebuilt (docs/wire-protocol.md §8.4 "restart").
final class HashsigKeyring: Sendable {
    private let state = Mutex<State>(State())

    private struct State {
        var isReady = false
        var keys: [KeyName: LiveHashsigKey] = [:]
    }

    /// Whether the start-up rebuild is finished.
    var isReady: Bool { state.withLock { $0.isReady } }

    /// - Throws: `HAL_ERROR_NOT_READY` while the start-up rebuild runs.
    func requireReady() throws(HALError) {
        guard isReady else { throw .notReady }
    }

    func markReady() { state.withLock { $0.isReady = true } }

    func key(_ name: KeyName) -> LiveHashsigKey? { state.withLock { $0.keys[name] } }

    func install(_ key: LiveHashsigKey) { state.withLock { $0.keys[key.name] = key } }

    func remove(_ name: KeyName) { state.withLock { _ = $0.keys.removeValue(forKey: name) } }
}
