import HalRPC

/// One holder of a share that a ``SignerPool`` can ask for signatures: a board
/// (``BoardSigner``), or anything else that signs under the key.
public protocol ShareSigner: Sendable {
    /// The board's ledger name.
    var board: BoardName { get }

    /// Signs `message` once. Never retried by the pool: a request that may have reached the
    /// signer throws ``SignAttemptError/indeterminate(_:)``.
    func sign(_ message: [UInt8]) async throws(SignAttemptError) -> [UInt8]

    /// The signer's next top-level index and range, if it can tell.
    func report() async throws(SignAttemptError) -> BoardReport?
}

/// How one sign attempt failed, as far as one-time keys are concerned.
public enum SignAttemptError: Error, Hashable, Sendable, CustomStringConvertible {
    /// No one-time key left.
    case exhausted
    /// Busy (rebuilding trees after a restart, a core in use): try another signer now.
    case busy(String)
    /// Not reached: the request never left the host.
    case unreachable(String)
    /// The request may have reached the signer and consumed a leaf; no signature came back.
    case indeterminate(String)
    /// The signer answered with another error (nothing was signed).
    case failed(String)

    /// The failure in words, for the pool's reasons and the journal.
    public var description: String {
        switch self {
        case .exhausted: "no one-time keys left"
        case .busy(let detail): "busy: \(detail)"
        case .unreachable(let detail): "unreachable: \(detail)"
        case .indeterminate(let detail): "no answer after the request was sent: \(detail)"
        case .failed(let detail): "failed: \(detail)"
        }
    }
}
