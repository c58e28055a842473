import EtcdClient
import Foundation
import HashSigHost
import Synchronization

/// The export lock of an etcd ledger: the key `P/ledger/export-lock`, created only when absent
/// and attached to a lease this process keeps alive. A holder that dies or is paused past the
/// lease's TTL loses it: etcd deletes the key, and another host may take the lock and resume.
///
/// Two guards keep a holder that lost it from doing harm after it wakes: every ledger append
/// under the lock compares the key's create revision (the fence: ``EtcdLedgerStore``), and
/// ``ensureHeld()`` — asked before each board call that changes state, which etcd cannot
/// fence — refuses once the lease may have run out by this host's own clock.
///
/// Not etcd's lock service (``EtcdClient/lock(_:lease:waitingUpTo:)``): an export run never
/// queues behind another — it says who holds the ledger and stops — and a create-if-absent
/// transaction does that in one request, with the holder's name as the key's value.
final class EtcdExportLock: LedgerExportLock {
    let held: EtcdLock
    private let store: EtcdLedgerStore
    private let state: Mutex<State>
    private let keeper: Mutex<Task<Void, Never>?> = Mutex(nil)

    private struct State {
        /// Until when the lease surely lives: the last renewal's send time plus its TTL.
        var validUntil: ContinuousClock.Instant
        var lost = false
        var released = false
    }

    /// Margin before the lease's end at which the lock counts as lost: a board call that
    /// starts later might still be running when another host takes over.
    static let margin: Duration = .seconds(2)

    private init(held: EtcdLock, store: EtcdLedgerStore, validUntil: ContinuousClock.Instant) {
        self.held = held
        self.store = store
        state = Mutex(State(validUntil: validUntil))
    }

    /// Takes the lock without waiting, or says who holds it.
    static func acquire(store: EtcdLedgerStore) async throws(LedgerError) -> EtcdExportLock {
        let started = ContinuousClock.now
        let lease = try await store.etcd { () async throws(EtcdError) in try await store.client.grantLease(ttlSeconds: store.lockTTL) }
        let holder = Array("host \(ProcessInfo.processInfo.hostName) pid \(getpid()) since \(Date().ISO8601Format())".utf8)
        let result: EtcdTransactionResult
        do {
            result = try await store.etcd { () async throws(EtcdError) in
                try await store.client.txn(EtcdTransaction(
                    if: [EtcdCompare(store.lockKey, .createRevision(0))],
                    then: [.put(store.lockKey, holder, lease: lease.id)],
                    else: [.get(store.lockKey)]
                ))
            }
        } catch {
            try? await store.client.revoke(lease.id)
            throw error
        }
        guard result.succeeded else {
            try? await store.client.revoke(lease.id)
            var current: String?
            if case .range(let range)? = result.replies.first, let value = range.keyValues.first?.value {
                current = "held by " + String(decoding: value, as: UTF8.self)
            }
            throw .busy(path: store.location, holder: current)
        }
        // The put is the transaction's only write, so its revision is the key's create revision.
        let held = EtcdLock(name: store.lockKey, key: Array(store.lockKey.utf8), revision: result.revision, lease: lease.id)
        let lock = EtcdExportLock(held: held, store: store, validUntil: started + Duration.seconds(lease.ttlSeconds))
        lock.keeper.withLock { $0 = Task { await lock.keepAlive(every: .seconds(max(1, lease.ttlSeconds / 3)), ttl: lease.ttlSeconds) } }
        return lock
    }

    /// Renews the lease every third of its TTL until released; marks the lock lost when etcd
    /// says the lease is gone.
    private func keepAlive(every interval: Duration, ttl: Int64) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            if Task.isCancelled { return }
            let sent = ContinuousClock.now
            do {
                let renewed = try await store.client.keepAlive(held.lease)
                state.withLock { $0.validUntil = sent + Duration.seconds(renewed) }
            } catch .leaseNotFound {
                state.withLock { $0.lost = true }
                return
            } catch {
                // A member down or no quorum for now: keep trying while the lease may live.
                let expired = state.withLock { state in
                    if ContinuousClock.now >= state.validUntil { state.lost = true }
                    return state.lost
                }
                if expired { return }
            }
        }
    }

    func ensureHeld() throws(LedgerError) {
        let usable = state.withLock { !$0.lost && !$0.released && ContinuousClock.now < $0.validUntil - Self.margin }
        guard usable else { throw .lockLost(path: store.location) }
    }

    func release() async {
        let first = state.withLock { state -> Bool in
            defer { state.released = true }
            return !state.released
        }
        guard first else { return }
        keeper.withLock { $0?.cancel() }
        // Revoking the lease deletes the lock key; if it fails the lease runs out by itself.
        try? await store.client.revoke(held.lease)
    }
}
