import CoreMetrics
import HalRPC

/// The muxd's metrics, recorded through swift-metrics into the factory given to ``Muxd``
/// (README, "Metrics", lists them for operators). Every metric has the label `board` (the
/// board's name); the request duration also `class`, the request's timeout class
/// (``TimeoutPolicy``).
///
/// Per board, not per connection: a client handle lives as long as one connection, so a label
/// per connection would grow the scraped series without bound. The per-connection view stays in
/// the logs (SIGUSR1, `--stats`).
public enum MuxdMetrics {
    /// Counter: requests taken from clients and sent on to the board.
    public static let requests = "cryptech_muxd_requests_total"
    /// Counter: board replies passed back to their clients.
    public static let replies = "cryptech_muxd_replies_total"
    /// Counter: requests the muxd answered itself with a transport error (timed out, or no board).
    public static let errors = "cryptech_muxd_request_errors_total"
    /// Counter: requests the board did not answer in time; each is also counted in ``errors``,
    /// and none is re-sent, since a re-sent sign would spend another one-time key.
    public static let timeouts = "cryptech_muxd_request_timeouts_total"
    /// Counter: requests whose reply the board sent but the muxd never got whole, found out by
    /// a probe answered first; each is also counted in ``errors``.
    public static let lostReplies = "cryptech_muxd_lost_replies_total"
    /// Counter: bytes of request frames, unescaped.
    public static let requestBytes = "cryptech_muxd_request_bytes_total"
    /// Counter: bytes of reply frames, unescaped.
    public static let replyBytes = "cryptech_muxd_reply_bytes_total"
    /// Counter: board frames that answered no waiting request (late after a timeout, short, or
    /// damaged).
    public static let strayReplies = "cryptech_muxd_stray_replies_total"
    /// Counter: client frames not forwarded (too short, or damaged framing).
    public static let droppedRequests = "cryptech_muxd_dropped_requests_total"
    /// Counter: client connections accepted.
    public static let connectionsAccepted = "cryptech_muxd_connections_accepted_total"
    /// Gauge: client connections open now.
    public static let connectionsOpen = "cryptech_muxd_connections_open"
    /// Counter: times a client did not read its replies and the muxd stopped reading its requests.
    public static let clientReadStalls = "cryptech_muxd_client_read_stalls_total"
    /// Counter: damaged client frames the muxd answered with an error itself.
    public static let damagedFramesAnswered = "cryptech_muxd_damaged_frames_answered_total"
    /// Gauge: 1 while the board's tty is open, else 0.
    public static let boardAttached = "cryptech_muxd_board_attached"
    /// Counter: times the board's tty was opened.
    public static let boardAttachments = "cryptech_muxd_board_attachments_total"
    /// Counter: times the board's tty went away.
    public static let boardLosses = "cryptech_muxd_board_losses_total"
    /// Counter: requests refused because they named a handle their connection does not hold.
    public static let isolationRefusals = "cryptech_muxd_isolation_refusals_total"
    /// Counter: wrong PINs the board reported.
    public static let wrongPINs = "cryptech_muxd_wrong_pins_total"
    /// Counter: LOGINs held back after a wrong PIN (``LoginBackoff``).
    public static let loginsHeld = "cryptech_muxd_logins_held_total"
    /// Histogram: seconds from a request leaving for the board to its reply, labelled by timeout
    /// class (``requestDurationBuckets``).
    public static let requestDuration = "cryptech_muxd_request_duration_seconds"

    /// Every metric with what it says, for `--help` and the README (a test holds the README to it).
    public static let catalogue: [(name: String, meaning: String)] = [
        (requests, "counter: requests taken from clients and sent on to the board"),
        (replies, "counter: board replies passed back to their clients"),
        (errors, "counter: requests the muxd answered itself with a transport error (timed out, or no board)"),
        (timeouts, "counter: requests the board did not answer in time (each is also an error)"),
        (lostReplies, "counter: requests whose reply the board sent but the muxd never got whole: a probe sent after it was answered first (each is also an error)"),
        (requestBytes, "counter: bytes of request frames (unescaped)"),
        (replyBytes, "counter: bytes of reply frames (unescaped)"),
        (strayReplies, "counter: board frames that answered no waiting request (late, short or damaged)"),
        (droppedRequests, "counter: client frames not forwarded (too short, or damaged framing)"),
        (connectionsAccepted, "counter: client connections accepted"),
        (connectionsOpen, "gauge: client connections open now"),
        (clientReadStalls, "counter: times a client did not read its replies and the muxd stopped reading its requests"),
        (damagedFramesAnswered, "counter: damaged client frames the muxd answered with an error"),
        (boardAttached, "gauge: 1 while the board's tty is open, else 0"),
        (boardAttachments, "counter: times the board's tty was opened"),
        (boardLosses, "counter: times the board's tty went away"),
        (isolationRefusals, "counter: requests refused because they named a handle their connection does not hold"),
        (wrongPINs, "counter: wrong PINs the board reported"),
        (loginsHeld, "counter: LOGINs held back after a wrong PIN"),
        (requestDuration, "histogram: seconds from a request leaving for the board to its reply, by timeout class (label class)"),
    ]

    /// Buckets of ``requestDuration``: a millisecond (version, random on the software Alpha) up
    /// to the half hour a key generation may take on a board.
    public static let requestDurationBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
        .milliseconds(2500), .seconds(5), .seconds(10), .seconds(30), .seconds(60), .seconds(300),
        .seconds(1800),
    ]
}

/// One board's metric handles, made once when its router is: recording is a call on a handle,
/// with no lookup by name on the request path.
struct BoardMetrics {
    let requests: Counter
    let replies: Counter
    let errors: Counter
    let timeouts: Counter
    let lostReplies: Counter
    let requestBytes: Counter
    let replyBytes: Counter
    let strayReplies: Counter
    let droppedRequests: Counter
    let connectionsAccepted: Counter
    let connectionsOpen: Gauge
    let clientReadStalls: Counter
    let damagedFramesAnswered: Counter
    let boardAttached: Gauge
    let boardAttachments: Counter
    let boardLosses: Counter
    let isolationRefusals: Counter
    let wrongPINs: Counter
    let loginsHeld: Counter
    private let shortDuration: Timer
    private let standardDuration: Timer
    private let longDuration: Timer
    private let keyGenerationDuration: Timer

    init(board: String, factory: any MetricsFactory) {
        let labels = [("board", board)]
        func counter(_ name: String) -> Counter { Counter(label: name, dimensions: labels, factory: factory) }
        requests = counter(MuxdMetrics.requests)
        replies = counter(MuxdMetrics.replies)
        errors = counter(MuxdMetrics.errors)
        timeouts = counter(MuxdMetrics.timeouts)
        lostReplies = counter(MuxdMetrics.lostReplies)
        requestBytes = counter(MuxdMetrics.requestBytes)
        replyBytes = counter(MuxdMetrics.replyBytes)
        strayReplies = counter(MuxdMetrics.strayReplies)
        droppedRequests = counter(MuxdMetrics.droppedRequests)
        connectionsAccepted = counter(MuxdMetrics.connectionsAccepted)
        connectionsOpen = Gauge(label: MuxdMetrics.connectionsOpen, dimensions: labels, factory: factory)
        clientReadStalls = counter(MuxdMetrics.clientReadStalls)
        damagedFramesAnswered = counter(MuxdMetrics.damagedFramesAnswered)
        boardAttached = Gauge(label: MuxdMetrics.boardAttached, dimensions: labels, factory: factory)
        boardAttachments = counter(MuxdMetrics.boardAttachments)
        boardLosses = counter(MuxdMetrics.boardLosses)
        isolationRefusals = counter(MuxdMetrics.isolationRefusals)
        wrongPINs = counter(MuxdMetrics.wrongPINs)
        loginsHeld = counter(MuxdMetrics.loginsHeld)
        func duration(_ timeoutClass: RPCTimeout) -> Timer {
            Timer(label: MuxdMetrics.requestDuration, dimensions: labels + [("class", timeoutClass.rawValue)], factory: factory)
        }
        shortDuration = duration(.short)
        standardDuration = duration(.standard)
        longDuration = duration(.long)
        keyGenerationDuration = duration(.keyGeneration)
        connectionsOpen.record(0)
        boardAttached.record(0)
    }

    /// Records how long a replied request of `timeoutClass` took.
    func recordDuration(_ nanoseconds: Int64, of timeoutClass: RPCTimeout) {
        let timer = switch timeoutClass {
        case .short: shortDuration
        case .standard: standardDuration
        case .long: longDuration
        case .keyGeneration: keyGenerationDuration
        }
        timer.recordNanoseconds(nanoseconds)
    }
}
