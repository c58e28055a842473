/// What the muxd holds for one client connection, and how often it had to stop reading it:
/// the evidence that a client which does not read its replies cannot make the muxd buffer
/// without limit (see `ClientConnection`).
public struct ClientFlowCounters: Sendable, Hashable {
    /// Times the muxd stopped taking this client's requests because the client was not
    /// reading its replies.
    public var readStalls = 0
    /// Reply bytes written for the client and not yet taken by its socket, now and at most
    /// so far (the most is sampled while the client is stalled, when it can grow).
    public var unreadReplyBytes = 0
    /// The most ``unreadReplyBytes`` has been: bounded, however long the client does not read.
    public var peakUnreadReplyBytes = 0
    /// Request bytes read from the socket but not yet decoded (held while requests are not
    /// taken), now and at most so far.
    public var heldRequestBytes = 0
    /// The most ``heldRequestBytes`` has been: bounded while requests are not taken.
    public var peakHeldRequestBytes = 0
    /// Damaged frames (too long, bad escape) the muxd answered itself with an error.
    public var damagedFramesAnswered = 0
    /// Of those, answers waiting now behind replies the board still owes.
    public var answersWaiting = 0

    /// All counters at zero, for a new connection.
    public init() {}

    /// The counters as `key=value` pairs for the `--stats` log line.
    public var summary: String {
        "read_stalls=\(readStalls) unread_reply_bytes=\(unreadReplyBytes) peak_unread_reply_bytes=\(peakUnreadReplyBytes) "
            + "held_request_bytes=\(heldRequestBytes) peak_held_request_bytes=\(peakHeldRequestBytes) damaged_frames_answered=\(damagedFramesAnswered) answers_waiting=\(answersWaiting)"
    }
}
