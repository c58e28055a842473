import CryptechTransport

/// Why an ``HSMClient`` call failed. Match the board's answer by code:
///
/// ```swift
/// do { _ = try await client.openKey(name: name) }
/// catch HSMClientError.device(.keyNotFound) { ... }
/// ```
public enum HSMClientError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The board answered with this status.
    case device(HALError)
    /// No reply within `after`. `requestSent` tells whether the request may have reached the
    /// board: when true it may still be carried out (a hashsig signature may have consumed a
    /// one-time key), and it is never sent again automatically.
    case timeout(function: FunctionNumber, after: Duration, requestSent: Bool)
    /// The reply decoded but does not answer the request (for example attribute types that
    /// are not the ones asked for).
    case unexpectedReply(function: FunctionNumber, reason: String)
    /// The reply to `function` was damaged on the way: its status is no HAL status, or its
    /// layout is impossible (a length beyond the frame, missing or trailing bytes). Whether
    /// the board carried the request out is unknown, as after a timeout.
    case damagedReply(function: FunctionNumber, reason: String)
    /// The reply to `function` was lost on the way: the board answered a request sent after
    /// it (the lost-reply probe), or the muxd in between got no reply from the board and
    /// answered `HAL_ERROR_RPC_TRANSPORT`. Whether the board carried it out is unknown.
    case replyLost(function: FunctionNumber, reason: String)
    /// The link to the board failed (the next call opens a new one).
    case transport(TransportError)
    /// The request would exceed the 16 KiB the board accepts; it was not sent.
    case requestTooLarge(function: FunctionNumber, size: Int)
    /// An argument is out of the range the wire can carry; nothing was sent.
    case invalidArgument(String)

    public var description: String {
        switch self {
        case let .device(status):
            if let name = status.name { "\(status) (\(name))" } else { "\(status)" }
        case let .timeout(function, after, sent):
            "no reply to \(function) within \(after)" + (sent ? "" : " (request not sent)")
        case let .unexpectedReply(function, reason): "unexpected reply to \(function): \(reason)"
        case let .damagedReply(function, reason): "damaged reply to \(function): \(reason); whether the board carried it out is unknown"
        case let .replyLost(function, reason): "the reply to \(function) was lost: \(reason); whether the board carried it out is unknown"
        case let .transport(error): "\(error)"
        case let .requestTooLarge(function, size):
            "\(function) request of \(size) bytes exceeds the \(RPCLimits.maximumMessage)-byte limit"
        case let .invalidArgument(text): "invalid argument: \(text)"
        }
    }

    /// Whether the reply never arrived or arrived damaged, so the request may or may not have
    /// been carried out: what ``HSMClient`` repeats for functions that are safe to repeat.
    public var isLostOrDamagedReply: Bool {
        switch self {
        case .timeout(_, _, let requestSent): requestSent
        case .damagedReply, .replyLost: true
        default: false
        }
    }
}
