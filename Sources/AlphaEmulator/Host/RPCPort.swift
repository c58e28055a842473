#if canImport(Glibc)
import Glibc
#endif
import CryptechTransport
import HalRPC
import Logging
import Synchronization

/// Decides what happens to each request frame the port receives.
protocol RequestRouting: Sendable {
    /// Called on the port's I/O thread for every complete frame, in arrival order.
    /// - Returns: a reply to send at once (a request answered inline), or `nil` when there is
    ///   no reply (a frame under 8 bytes, docs/wire-protocol.md §3.2) or it comes later through
    ///   ``RPCPort/submit(_:)``.
    func route(_ frame: [UInt8], port: RPCPort) -> [UInt8]?
}

/// The board's RPC UART, played on a pty master: SLIP frames in, SLIP frames out, on one
/// dedicated I/O thread.
///
/// Everything that is available is read in one system call and every reply that is ready
/// leaves in one write, unlike the reference's byte-per-syscall transports (docs/wire-protocol.md §13.1).
/// The optional throttle holds each direction to the real link's speed, and the optional fault
/// injector drops, corrupts or delays replies.
///
/// Ownership: the port reads and writes `descriptor` but never closes it (the
/// ``PseudoTerminal`` owns it); it owns its wake-up pipe and closes it after the loop ends.
final class RPCPort: @unchecked Sendable {
    /// The firmware's request buffer: a longer frame is cut to this many bytes and then
    /// dispatched as if complete (docs/wire-protocol.md §1.3), which is how the board answers an
    /// oversize request.
    static let boardBufferSize = RPCLimits.maximumMessage
    /// Frames longer than this are dropped by the decoder instead of buffered.
    static let decoderLimit = 1 << 20
    /// Stop reading requests while this many reply bytes wait for the host to read them.
    static let maximumBacklog = 1 << 20

    private let descriptor: Int32
    private let endpoint: String
    private let router: any RequestRouting
    private let logger: Logger
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let submitted = Mutex<[[UInt8]]>([])
    private let stopRequested = Atomic<Bool>(false)
    private let finished = Mutex<Bool>(false)

    // Owned by the I/O thread.
    private var decoder = SLIPDecoder(maximumFrameLength: RPCPort.decoderLimit)
    private var output: [UInt8] = []
    private var outputOffset = 0
    private var delayed: [(due: ContinuousClock.Instant, bytes: [UInt8])] = []
    private var readThrottle: LineThrottle?
    private var writeThrottle: LineThrottle?
    private var faults: FaultInjector?
    private let clock = ContinuousClock()

    /// - Parameters:
    ///   - descriptor: a non-blocking pty master.
    ///   - baud: throttle both directions to `baud / 10` bytes per second; `nil` for full speed.
    ///   - faults: faults to inject into replies.
    init(descriptor: Int32, endpoint: String, router: any RequestRouting, baud: Int?, faults: FaultPlan?, logger: Logger) throws(TransportError) {
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else { throw .system("pipe", errno: errno, endpoint: endpoint) }
        for end in pipeEnds {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        self.descriptor = descriptor
        self.endpoint = endpoint
        self.router = router
        self.logger = logger
        wakeRead = pipeEnds[0]
        wakeWrite = pipeEnds[1]
        let now = clock.now
        if let baud {
            readThrottle = LineThrottle(baud: baud, now: now)
            writeThrottle = LineThrottle(baud: baud, now: now)
        }
        if let faults, faults.isActive { self.faults = FaultInjector(plan: faults) }
    }

    deinit {
        Glibc.close(wakeRead)
        Glibc.close(wakeWrite)
    }

    /// Queues a reply produced off the I/O thread (by a client's lane). Thread-safe.
    func submit(_ reply: [UInt8]) {
        submitted.withLock { $0.append(reply) }
        wake()
    }

    /// Asks the loop to end; ``run()`` returns soon after. Thread-safe, idempotent.
    func stop() {
        stopRequested.store(true, ordering: .releasing)
        wake()
    }

    /// Serves until ``stop()``. Call on a dedicated thread.
    func run() {
        var buffer = [UInt8](repeating: 0, count: 65536)
        var fds = [pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: descriptor, events: 0, revents: 0)]
        while !stopRequested.load(ordering: .acquiring) {
            var now = clock.now
            promoteDelayed(now)
            var timeout: Duration? = nil
            func soonest(_ d: Duration) { timeout = min(timeout ?? d, d) }

            var events: Int16 = 0
            if output.count - outputOffset < Self.maximumBacklog {
                if let throttle = readThrottle, throttle.wait(for: 1, at: now) > .zero {
                    soonest(throttle.wait(for: 1, at: now))
                } else {
                    events |= Int16(POLLIN)
                }
            }
            let pending = output.count - outputOffset
            if pending > 0 {
                if let throttle = writeThrottle, throttle.wait(for: pending, at: now) > .zero {
                    soonest(throttle.wait(for: pending, at: now))
                } else {
                    events |= Int16(POLLOUT)
                }
            }
            if let first = delayed.first { soonest(max(.zero, first.due - now)) }
            fds[0].revents = 0
            fds[1].events = events
            fds[1].revents = 0
            let ready = poll(&fds, 2, timeout.map { $0.millisecondsRoundedUp } ?? -1)
            if ready < 0 {
                if errno == EINTR { continue }
                logger.error("poll failed", metadata: ["emulator.errno": "\(errno)"])
                break
            }
            if fds[0].revents != 0 { takeSubmitted() }
            if fds[1].revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 {
                now = clock.now
                readAvailable(into: &buffer, now: now)
            }
            flush(now: clock.now)
        }
        finished.withLock { $0 = true }
    }

    // MARK: - Input

    private func readAvailable(into buffer: inout [UInt8], now: ContinuousClock.Instant) {
        var limit = buffer.count
        if readThrottle != nil { limit = min(limit, readThrottle!.available(at: now)) }
        guard limit > 0 else { return }
        let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, limit) }
        if count < 0 {
            // EIO cannot happen while the pty keeps its own slave open; back off anyway
            // rather than spin if the kernel says otherwise.
            if errno != EAGAIN, errno != EINTR { usleep(10_000) }
            return
        }
        guard count > 0 else { return }
        readThrottle?.consume(count)
        var frames: [[UInt8]] = []
        buffer.withUnsafeBytes { bytes in
            decoder.decode(UnsafeRawBufferPointer(rebasing: bytes[0..<count])) { event in
                switch event {
                case .frame(let frame): frames.append(frame)
                case .error(let error): logger.debug("framing fault", metadata: ["emulator.slip": "\(error)"])
                }
            }
        }
        for frame in frames {
            // docs/wire-protocol.md §1.3: the board keeps the first 16384 bytes and dispatches them.
            let request = frame.count > Self.boardBufferSize ? Array(frame.prefix(Self.boardBufferSize)) : frame
            guard let reply = router.route(request, port: self) else { continue }
            // Answered inline, so its client's lane (if it had one) was let go, and that only
            // after the lane's last reply was submitted: that reply goes out first. Without
            // this a quick request (a lost-reply probe) could overtake the reply to the slow
            // one before it, and its client would take that reply for lost.
            enqueueSubmitted()
            enqueue(reply)
        }
    }

    // MARK: - Output

    private func wake() {
        var byte: UInt8 = 1
        _ = Glibc.write(wakeWrite, &byte, 1)
    }

    private func takeSubmitted() {
        var sink = [UInt8](repeating: 0, count: 256)
        while sink.withUnsafeMutableBytes({ Glibc.read(wakeRead, $0.baseAddress, 256) }) > 0 {}
        enqueueSubmitted()
    }

    /// Moves the replies submitted from lanes so far to the output, in submission order.
    private func enqueueSubmitted() {
        let replies = submitted.withLock { queue in
            defer { queue.removeAll(keepingCapacity: true) }
            return queue
        }
        for reply in replies { enqueue(reply) }
    }

    private func enqueue(_ reply: [UInt8]) {
        var bytes = reply
        if faults != nil {
            switch faults!.apply(to: reply) {
            case .drop:
                logger.debug("fault: reply dropped", metadata: ["emulator.bytes": "\(reply.count)"])
                return
            case .send(let faulty, let delay):
                bytes = faulty
                if delay > .zero {
                    delayed.append((clock.now + delay, bytes))
                    return
                }
            }
        }
        append(bytes)
    }

    private func append(_ payload: [UInt8]) {
        if outputOffset > 0, outputOffset == output.count {
            output.removeAll(keepingCapacity: true)
            outputOffset = 0
        }
        payload.withUnsafeBytes { SLIPEncoder.append($0, to: &output) }
    }

    private func promoteDelayed(_ now: ContinuousClock.Instant) {
        while let first = delayed.first, first.due <= now {
            delayed.removeFirst()
            append(first.bytes)
        }
    }

    private func flush(now: ContinuousClock.Instant) {
        var pending = output.count - outputOffset
        guard pending > 0 else { return }
        if writeThrottle != nil { pending = min(pending, writeThrottle!.available(at: now)) }
        guard pending > 0 else { return }
        let written = output.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + outputOffset, pending) }
        guard written > 0 else { return }
        writeThrottle?.consume(written)
        outputOffset += written
        if outputOffset == output.count {
            output.removeAll(keepingCapacity: true)
            outputOffset = 0
        } else if outputOffset > 1 << 16 {
            output.removeFirst(outputOffset)
            outputOffset = 0
        }
    }
}
