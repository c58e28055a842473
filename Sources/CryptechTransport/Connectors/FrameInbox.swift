import DequeModule
import Synchronization

/// Received frames waiting for the link's one consumer, and the link's end state.
///
/// Producers (an event loop, an in-process peer) call `deliver` and `finish`; the consumer
/// calls `receive`. A lock guards a few words of state and is never held across a suspension.
final class FrameInbox: Sendable {
    private struct Waiter {
        var id: UInt64
        var continuation: CheckedContinuation<[UInt8], any Error>
    }

    private struct State {
        var frames = Deque<[UInt8]>()
        var waiter: Waiter?
        var nextWaiterID: UInt64 = 0
        var ending: TransportError?
        /// A timeout or cancellation that fired before its receive had started waiting.
        var preempted: (id: UInt64, error: any Error)?
    }

    private let state = Mutex(State())
    let endpoint: String

    init(endpoint: String) { self.endpoint = endpoint }

    /// Hands a frame to the consumer, or queues it.
    func deliver(_ frame: [UInt8]) {
        let waiter: Waiter? = state.withLock { s in
            guard s.ending == nil else { return nil }
            if let w = s.waiter {
                s.waiter = nil
                return w
            }
            s.frames.append(frame)
            return nil
        }
        waiter?.continuation.resume(returning: frame)
    }

    /// Ends the link: queued frames are still received, then every receive fails with `error`.
    /// The first ending wins.
    func finish(_ error: TransportError) {
        let waiter: Waiter? = state.withLock { s in
            if s.ending == nil { s.ending = error }
            guard s.frames.isEmpty, let w = s.waiter else { return nil }
            s.waiter = nil
            return w
        }
        waiter?.continuation.resume(throwing: error)
    }

    var isFinished: Bool { state.withLock { $0.ending != nil } }

    func receive(timeout: Duration?) async throws -> [UInt8] {
        let id = state.withLock { s in
            s.nextWaiterID &+= 1
            return s.nextWaiterID
        }
        let timer: Task<Void, Never>? = timeout.map { limit in
            Task { [weak self] in
                try? await Task.sleep(for: limit)
                guard !Task.isCancelled, let self else { return }
                self.fail(waiter: id, with: TransportError(
                    .timeout, endpoint: self.endpoint, "no frame within \(limit)"))
            }
        }
        defer { timer?.cancel() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[UInt8], any Error>) in
                let immediate: Result<[UInt8], any Error>? = state.withLock { s in
                    if let frame = s.frames.popFirst() { return .success(frame) }
                    if let ending = s.ending { return .failure(ending) }
                    if let early = s.preempted, early.id == id {
                        s.preempted = nil
                        return .failure(early.error)
                    }
                    precondition(s.waiter == nil, "FrameLink.receive called by two consumers at once")
                    s.waiter = Waiter(id: id, continuation: continuation)
                    return nil
                }
                if let immediate { continuation.resume(with: immediate) }
            }
        } onCancel: {
            fail(waiter: id, with: CancellationError())
        }
    }

    /// Fails the waiting receive `id` (if it is still the one waiting).
    private func fail(waiter id: UInt64, with error: any Error) {
        let waiter: Waiter? = state.withLock { s in
            guard let w = s.waiter, w.id == id else {
                // Not waiting yet: leave word for it, unless it already finished.
                if s.nextWaiterID == id, s.waiter == nil { s.preempted = (id, error) }
                return nil
            }
            s.waiter = nil
            return w
        }
        waiter?.continuation.resume(throwing: error)
    }
}
