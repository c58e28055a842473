import DequeModule
import Synchronization

/// Received frames waiting for the link's one consumer, and the link's end state.
///
/// Producers (an event loop, an in-process peer) call `deliver` and `finish`; the consumer
/// calls `receive`. A lock guards a few words of state and is never held across a suspension.
///
/// Bounded: what waits is counted in bytes, each frame also costing ``frameOverhead`` so a
/// flood of tiny frames counts too. At ``Limits/pauseAt`` the producer is asked to stop (a
/// channel stops reading its socket or tty, so the peer's writes block in the kernel), and
/// asked to go on once the consumer has brought it under ``Limits/resumeAt``. A producer
/// that cannot stop (an in-process peer) or a burst past everything ends the link at
/// ``Limits/maximum`` with ``TransportError/Code/overflow`` naming the endpoint: an error
/// the consumer sees, never memory without bound.
final class FrameInbox: Sendable {
    /// How much may wait unreceived, in bytes with ``FrameInbox/frameOverhead`` per frame.
    struct Limits: Sendable {
        var pauseAt: Int
        var resumeAt: Int
        var maximum: Int

        /// 1 MiB before the producer pauses, 16 MiB before the link ends. A channel that
        /// pauses still finishes its read cycle (NIO: at most 4 reads of at most 64 KiB, under
        /// 9 MiB counted even as 2-byte frames), so only a producer that cannot pause ever
        /// reaches the maximum. Normal traffic (one reply per request) never comes near.
        static let standard = Limits(pauseAt: 1 << 20, resumeAt: 256 << 10, maximum: 16 << 20)
    }

    /// What a waiting frame costs beyond its bytes: the array's header and allocation.
    static let frameOverhead = 64

    /// What became of a delivered frame.
    enum Delivery {
        /// Handed over or queued; the producer may go on.
        case accepted
        /// Queued, and the producer should stop until ``FrameInbox`` calls `resumeProducer`.
        case pause
        /// Dropped: the link is finished (it already was, or this frame overflowed it).
        case refused
    }

    private struct Waiter {
        var id: UInt64
        var continuation: CheckedContinuation<[UInt8], any Error>
    }

    private struct State {
        var frames = Deque<[UInt8]>()
        /// What `frames` costs, in bytes with the per-frame overhead.
        var queued = 0
        var paused = false
        var waiter: Waiter?
        var nextWaiterID: UInt64 = 0
        var ending: TransportError?
        /// A timeout or cancellation that fired before its receive had started waiting.
        var preempted: (id: UInt64, error: any Error)?
    }

    private let state = Mutex(State())
    let endpoint: String
    let limits: Limits
    /// Called (from the consumer's task) when the producer may deliver again after `.pause`.
    private let resumeProducer: (@Sendable () -> Void)?

    init(endpoint: String, limits: Limits = .standard, resumeProducer: (@Sendable () -> Void)? = nil) {
        self.endpoint = endpoint
        self.limits = limits
        self.resumeProducer = resumeProducer
    }

    /// Hands a frame to the consumer, or queues it.
    @discardableResult
    func deliver(_ frame: [UInt8]) -> Delivery {
        let (waiter, delivery): (Waiter?, Delivery) = state.withLock { s in
            guard s.ending == nil else { return (nil, .refused) }
            if let w = s.waiter {
                s.waiter = nil
                return (w, .accepted)
            }
            let cost = frame.count + Self.frameOverhead
            if s.queued + cost > limits.maximum {
                // Nobody waits (or the frame would have gone to them): ending the link needs
                // no wake-up. What was queued goes too; the consumer gets the overflow.
                s.ending = TransportError(
                    .overflow, endpoint: endpoint,
                    "more than \(limits.maximum) bytes of frames waiting unreceived; link ended")
                s.frames.removeAll()
                s.queued = 0
                return (nil, .refused)
            }
            s.frames.append(frame)
            s.queued += cost
            if s.queued >= limits.pauseAt { s.paused = true }
            return (nil, s.paused ? .pause : .accepted)
        }
        waiter?.continuation.resume(returning: frame)
        return delivery
    }

    /// Whether the producer should hold back (reached ``Limits/pauseAt``, not yet back
    /// under ``Limits/resumeAt``).
    var isPaused: Bool { state.withLock { $0.paused } }

    /// Takes the oldest queued frame; tells the producer to go on when the queue has drained
    /// enough.
    private func take(_ s: inout State) -> (frame: [UInt8], resume: Bool)? {
        guard let frame = s.frames.popFirst() else { return nil }
        s.queued -= frame.count + Self.frameOverhead
        guard s.paused, s.queued <= limits.resumeAt else { return (frame, false) }
        s.paused = false
        return (frame, true)
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
                var resume = false
                let immediate: Result<[UInt8], any Error>? = state.withLock { s in
                    if let taken = take(&s) {
                        resume = taken.resume
                        return .success(taken.frame)
                    }
                    if let ending = s.ending { return .failure(ending) }
                    if let early = s.preempted, early.id == id {
                        s.preempted = nil
                        return .failure(early.error)
                    }
                    precondition(s.waiter == nil, "FrameLink.receive called by two consumers at once")
                    s.waiter = Waiter(id: id, continuation: continuation)
                    return nil
                }
                if resume { resumeProducer?() }
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
