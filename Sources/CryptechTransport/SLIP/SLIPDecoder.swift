/// An incremental SLIP decoder: feed it bytes in any chunking, get whole frames back.
///
/// ```
///  ... junk | END | payload (escaped) | END | END | payload | END ...
///             ^ starts a frame          ^ ends it   ^ empty frame: skipped
/// ```
///
/// State (an escape pending, a frame half received) belongs to the instance, never to the
/// process. A damaged frame — longer than `maximumFrameLength`, or with an invalid escape —
/// is reported as a ``SLIPError`` and discarded up to the next END, after which decoding
/// carries on. Empty frames are skipped silently.
public struct SLIPDecoder: Sendable {
    /// A decoded frame or a framing fault, in stream order.
    public enum Event: Sendable, Equatable {
        /// A complete frame's payload, unescaped; never empty.
        case frame([UInt8])
        /// A fault; the damaged frame was discarded.
        case error(SLIPError)
    }

    /// Counters of what the decoder has seen, for diagnostics.
    public struct Statistics: Sendable, Equatable {
        /// Frames delivered.
        public var frames = 0
        /// Frames discarded for passing ``SLIPDecoder/maximumFrameLength``.
        public var overlongFrames = 0
        /// Frames discarded for an invalid escape.
        public var invalidEscapes = 0
        /// Frames cut off by the end of the stream.
        public var truncatedFrames = 0
    }

    /// The longest unescaped payload kept; a longer frame is discarded, so a peer's stream never
    /// grows a buffer past it.
    public let maximumFrameLength: Int
    /// What the decoder has seen so far.
    public private(set) var statistics = Statistics()

    private var frame: [UInt8] = []
    private var escapePending = false
    /// Set after a fault: bytes are dropped until the next END.
    private var discarding = false

    /// - Parameter maximumFrameLength: the longest unescaped payload accepted; default 16 KiB,
    ///   the Alpha's packet size.
    public init(maximumFrameLength: Int = SLIP.maximumPayload) {
        precondition(maximumFrameLength > 0, "maximumFrameLength must be positive")
        self.maximumFrameLength = maximumFrameLength
    }

    /// True when bytes of an unfinished frame are buffered.
    public var hasPartialFrame: Bool { !frame.isEmpty || escapePending }

    /// Decodes `bytes`, calling `emit` for each complete frame or fault, in order.
    public mutating func decode(_ bytes: UnsafeRawBufferPointer, _ emit: (Event) throws -> Void) rethrows {
        _ = try decode(bytes, onFrame: { frame in
            // The finished array goes to the caller; start the next one the same size.
            let done = frame
            frame = []
            frame.reserveCapacity(done.count)
            try emit(.frame(done))
            return true
        }, onFault: { error, _ in
            try emit(.error(error))
            return true
        })
    }

    /// Decodes `bytes`, lending each complete frame to `frame` and reporting each fault to
    /// `fault`, in order. A lent frame's bytes are the decoder's own storage, valid (and
    /// the caller's to modify) only during that call: a forwarder that rewrites a header
    /// and passes the frame on needs no allocation per frame.
    public mutating func decode(
        _ bytes: UnsafeRawBufferPointer,
        frame: (UnsafeMutableRawBufferPointer) throws -> Void,
        fault: (SLIPError) throws -> Void
    ) rethrows {
        _ = try decode(bytes, onFrame: { storage in
            try storage.withUnsafeMutableBytes(frame)
            return true
        }, onFault: { error, _ in
            try fault(error)
            return true
        })
    }

    /// Decodes `bytes` for a consumer that answers damaged frames and may have to stop part
    /// way (back-pressure: a server that stops taking requests while its replies are not read).
    ///
    /// Each complete frame is lent to `frame` as in ``decode(_:frame:fault:)``. Each fault
    /// goes to `damaged` with the bytes of its frame decoded before it: the first
    /// `maximumFrameLength` bytes of an overlong frame, the bytes before a bad escape. A
    /// receiver can read the damaged request's header from them and answer it; they are
    /// valid only during that call. Either closure returns `false` to stop decoding right
    /// after that frame or fault.
    /// - Returns: how many bytes of `bytes` were consumed; the rest (when stopped) is to be
    ///   passed again, unchanged, when the consumer is ready.
    public mutating func decode(
        _ bytes: UnsafeRawBufferPointer,
        frame: (UnsafeMutableRawBufferPointer) throws -> Bool,
        damaged: (SLIPError, UnsafeRawBufferPointer) throws -> Bool
    ) rethrows -> Int {
        try decode(bytes, onFrame: { try $0.withUnsafeMutableBytes(frame) }, onFault: damaged)
    }

    /// The decoding loop; `onFrame` gets the finished frame's storage, emptied afterwards;
    /// `onFault` gets the fault and the damaged frame's bytes so far. Either returns `false`
    /// to stop; the result is the number of bytes consumed.
    private mutating func decode(
        _ bytes: UnsafeRawBufferPointer,
        onFrame: (inout [UInt8]) throws -> Bool,
        onFault: (SLIPError, UnsafeRawBufferPointer) throws -> Bool
    ) rethrows -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        let n = bytes.count
        var i = 0
        while i < n {
            if escapePending {
                escapePending = false
                let b = base.load(fromByteOffset: i, as: UInt8.self)
                i += 1
                if discarding {
                    // Already reported; only an END ends the discard.
                    if b == SLIP.end { discarding = false }
                    continue
                }
                var goOn = true
                switch b {
                case SLIP.escEnd: goOn = try appendByte(SLIP.end, onFault)
                case SLIP.escEsc: goOn = try appendByte(SLIP.esc, onFault)
                case SLIP.end:
                    // The END still delimits: report the broken frame and start afresh.
                    goOn = try fault(.invalidEscape(b), onFault)
                    discarding = false
                    frame.removeAll(keepingCapacity: true)
                default:
                    goOn = try fault(.invalidEscape(b), onFault)
                }
                if !goOn { return i }
                continue
            }
            // Find the next END or ESC; everything before it is payload, copied in bulk.
            let runStart = i
            while i < n {
                if n - i >= 8, !SLIP.containsSpecialByte(base.loadUnaligned(fromByteOffset: i, as: UInt64.self)) {
                    i += 8
                    continue
                }
                let b = base.load(fromByteOffset: i, as: UInt8.self)
                if b == SLIP.end || b == SLIP.esc { break }
                i += 1
            }
            if i > runStart {
                let bytes = base.assumingMemoryBound(to: UInt8.self) + runStart
                // On a fault the rest of the run is discarded with the frame: consumed.
                if try !appendRun(UnsafeBufferPointer(start: bytes, count: i - runStart), onFault) { return i }
            }
            guard i < n else { break }
            let b = base.load(fromByteOffset: i, as: UInt8.self)
            i += 1
            if b == SLIP.esc {
                escapePending = true
            } else if try !endOfFrame(onFrame) {
                return i
            }
        }
        return n
    }

    /// Decodes the bytes of `chunk`.
    public mutating func decode(_ chunk: [UInt8], _ emit: (Event) throws -> Void) rethrows {
        try chunk.withUnsafeBytes { try decode($0, emit) }
    }

    /// Call at end of stream: reports a frame cut off in the middle, and resets.
    public mutating func finish() -> SLIPError? {
        defer {
            frame.removeAll()
            escapePending = false
            discarding = false
        }
        guard hasPartialFrame, !discarding else { return nil }
        statistics.truncatedFrames += 1
        return .truncated(received: frame.count)
    }

    private mutating func endOfFrame(_ onFrame: (inout [UInt8]) throws -> Bool) rethrows -> Bool {
        if discarding {
            discarding = false
        } else if !frame.isEmpty {
            statistics.frames += 1
            // Emptied even if the receiver throws: a frame is delivered at most once.
            defer { frame.removeAll(keepingCapacity: true) }
            return try onFrame(&frame)
        }
        frame.removeAll(keepingCapacity: true)
        return true
    }

    private mutating func appendByte(_ byte: UInt8, _ onFault: (SLIPError, UnsafeRawBufferPointer) throws -> Bool) rethrows -> Bool {
        guard !discarding else { return true }
        if frame.count >= maximumFrameLength {
            return try fault(.frameTooLong(limit: maximumFrameLength), onFault)
        }
        frame.append(byte)
        return true
    }

    private mutating func appendRun(
        _ run: UnsafeBufferPointer<UInt8>, _ onFault: (SLIPError, UnsafeRawBufferPointer) throws -> Bool
    ) rethrows -> Bool {
        guard !discarding else { return true }
        if frame.count + run.count > maximumFrameLength {
            // Fill the frame up to the limit first, so the fault shows its first bytes (the
            // header a receiver answers) however the bytes were chunked.
            frame.append(contentsOf: UnsafeBufferPointer(rebasing: run.prefix(maximumFrameLength - frame.count)))
            return try fault(.frameTooLong(limit: maximumFrameLength), onFault)
        }
        frame.append(contentsOf: run)
        return true
    }

    /// Reports `error` with the frame's bytes so far, then drops the frame up to the next END.
    private mutating func fault(_ error: SLIPError, _ onFault: (SLIPError, UnsafeRawBufferPointer) throws -> Bool) rethrows -> Bool {
        switch error {
        case .frameTooLong: statistics.overlongFrames += 1
        case .invalidEscape: statistics.invalidEscapes += 1
        case .truncated: statistics.truncatedFrames += 1
        }
        discarding = true
        defer { frame.removeAll(keepingCapacity: true) }
        return try frame.withUnsafeBytes { try onFault(error, $0) }
    }
}
