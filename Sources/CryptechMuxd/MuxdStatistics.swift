/// Counters of one client connection or of a whole board, for the `--stats` summary.
public struct TrafficCounters: Sendable, Hashable {
    /// Requests sent on to the board.
    public var requests = 0
    /// Board replies passed back.
    public var replies = 0
    /// Requests answered by the muxd with an error: timeout, board absent.
    public var errors = 0
    /// Requests the board did not answer in time (also counted in ``errors``).
    public var timeouts = 0
    /// Requests whose reply never arrived whole, found out by a probe answered first; each is
    /// also an error.
    public var lostReplies = 0
    /// Bytes of request frames, unescaped.
    public var bytesIn = 0
    /// Bytes of reply frames, unescaped.
    public var bytesOut = 0

    /// All counters at zero.
    public init() {}

    /// The counters as `key=value` pairs for the `--stats` log line.
    public var summary: String {
        "requests=\(requests) replies=\(replies) errors=\(errors) timeouts=\(timeouts) lost_replies=\(lostReplies) bytes_in=\(bytesIn) bytes_out=\(bytesOut)"
    }
}

/// What one board's router has seen.
public struct BoardStatistics: Sendable, Hashable {
    /// The board's traffic, summed over every connection it served.
    public var traffic = TrafficCounters()
    /// Frames from the board that answered no waiting request: late replies after a timeout,
    /// frames too short for a header, frames the SLIP decoder had to drop.
    public var strayReplies = 0
    /// Replies the muxd looked into (handle isolation, LOGIN) and found damaged on the way:
    /// a status no board sends, or an impossible layout. Passed on, but nothing learned.
    public var damagedReplies = 0
    /// Client frames not forwarded: shorter than a request header (the connection is closed),
    /// or damaged framing (answered with an error, or the connection closed).
    public var droppedRequests = 0
    /// Client connections accepted.
    public var connectionsAccepted = 0
    /// Client connections open now.
    public var connectionsOpen = 0
    /// Times the board's tty was opened.
    public var boardAttachments = 0
    /// Times the board's tty went away.
    public var boardLosses = 0
    /// Requests the muxd answered itself because they named a pkey or hash handle their
    /// connection does not hold, or were LOGOUT_ALL without a WHEEL or SO login.
    public var isolationRefusals = 0
    /// Wrong PINs the board reported, and LOGINs held back after one.
    public var wrongPINs = 0
    /// LOGINs held back after a wrong PIN.
    public var loginsHeld = 0
    /// Per open connection, by client handle.
    public var clients: [UInt32: TrafficCounters] = [:]
    /// Per open connection, by client handle: what the muxd holds for it (back-pressure).
    public var clientFlow: [UInt32: ClientFlowCounters] = [:]

    /// All counters at zero, for a new router.
    public init() {}
}
