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
        case frame([UInt8])
        case error(SLIPError)
    }

    /// Counters of what the decoder has seen, for diagnostics.
    public struct Statistics: Sendable, Equatable {
        public var frames = 0
        public var overlongFrames = 0
        public var invalidEscapes = 0
        public var truncatedFrames = 0
    }

    public let maximumFrameLength: Int
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
        try decode(bytes, onFrame: { frame in
            // The finished array goes to the caller; start the next one the same size.
            let done = frame
            frame = []
            frame.reserveCapacity(done.count)
            try emit(.frame(done))
        }, onFault: { try emit(.error($0)) })
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
        try decode(bytes, onFrame: { try $0.withUnsafeMutableBytes(frame) }, onFault: fault)
    }

    /// The decoding loop; `onFrame` gets the finished frame's storage, emptied afterwards.
    private mutating func decode(
        _ bytes: UnsafeRawBufferPointer,
        onFrame: (inout [UInt8]) throws -> Void,
        onFault: (SLIPError) throws -> Void
    ) rethrows {
        guard let base = bytes.baseAddress else { return }
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
                switch b {
                case SLIP.escEnd: try appendByte(SLIP.end, onFault)
                case SLIP.escEsc: try appendByte(SLIP.esc, onFault)
                case SLIP.end:
                    // The END still delimits: report the broken frame and start afresh.
                    try fault(.invalidEscape(b), onFault)
                    discarding = false
                    frame.removeAll(keepingCapacity: true)
                default:
                    try fault(.invalidEscape(b), onFault)
                }
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
                try appendRun(UnsafeBufferPointer(start: bytes, count: i - runStart), onFault)
            }
            guard i < n else { break }
            let b = base.load(fromByteOffset: i, as: UInt8.self)
            i += 1
            if b == SLIP.esc {
                escapePending = true
            } else {
                try endOfFrame(onFrame)
            }
        }
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

    private mutating func endOfFrame(_ onFrame: (inout [UInt8]) throws -> Void) rethrows {
        if discarding {
            discarding = false
        } else if !frame.isEmpty {
            statistics.frames += 1
            // Emptied even if the receiver throws: a frame is delivered at most once.
            defer { frame.removeAll(keepingCapacity: true) }
            try onFrame(&frame)
            return
        }
        frame.removeAll(keepingCapacity: true)
    }

    private mutating func appendByte(_ byte: UInt8, _ onFault: (SLIPError) throws -> Void) rethrows {
        guard !discarding else { return }
        if frame.count >= maximumFrameLength {
            try fault(.frameTooLong(limit: maximumFrameLength), onFault)
        } else {
            frame.append(byte)
        }
    }

    private mutating func appendRun(_ run: UnsafeBufferPointer<UInt8>, _ onFault: (SLIPError) throws -> Void) rethrows {
        guard !discarding else { return }
        if frame.count + run.count > maximumFrameLength {
            try fault(.frameTooLong(limit: maximumFrameLength), onFault)
        } else {
            frame.append(contentsOf: run)
        }
    }

    private mutating func fault(_ error: SLIPError, _ onFault: (SLIPError) throws -> Void) rethrows {
        switch error {
        case .frameTooLong: statistics.overlongFrames += 1
        case .invalidEscape: statistics.invalidEscapes += 1
        case .truncated: statistics.truncatedFrames += 1
        }
        discarding = true
        frame.removeAll(keepingCapacity: true)
        try onFault(error)
    }
}
