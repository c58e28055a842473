import Synchronization

/// What a client learns as it goes: which member answered last (asked first next time) and
/// the auth token it holds.
final class EtcdSession: Sendable {
    private struct State {
        var preferred = 0
        var token: String?
    }

    private let state = Mutex(State())
    private let endpointCount: Int

    init(endpointCount: Int) { self.endpointCount = endpointCount }

    /// The endpoint indices in the order to try them: the last good one first.
    var order: [Int] {
        let first = state.withLock { $0.preferred }
        return (0..<endpointCount).map { (first + $0) % endpointCount }
    }

    func answered(_ index: Int) { state.withLock { $0.preferred = index } }

    var token: String? { state.withLock { $0.token } }

    func setToken(_ token: String?) { state.withLock { $0.token = token } }
}
