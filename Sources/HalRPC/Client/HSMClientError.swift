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
    /// The reply to `function` does not follow its layout.
    case malformedReply(function: FunctionNumber, XDRError)
    /// The reply to `function` was damaged on the way (its status is no HAL status): whether
    /// the board carried the request out is unknown, as after a timeout.
    case damagedReply(function: FunctionNumber, reason: String)
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
        case let .malformedReply(function, error): "malformed reply to \(function): \(error)"
        case let .damagedReply(function, reason): "damaged reply to \(function): \(reason); whether the board carried it out is unknown"
        case let .transport(error): "\(error)"
        case let .requestTooLarge(function, size):
            "\(function) request of \(size) bytes exceeds the \(RPCLimits.maximumMessage)-byte limit"
        case let .invalidArgument(text): "invalid argument: \(text)"
        }
    }
}
