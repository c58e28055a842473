import CryptechTransport
import HalRPC

/// A board's share as a ``ShareSigner``: PKEY_SIGN on its key, errors sorted by what they
/// mean for one-time keys.
public struct BoardSigner: ShareSigner {
    /// The board's hashsig key, reached through the board's link.
    public let key: BoardHashsigKey
    /// The sign call's timeout (the client's default for signing when `nil`).
    public let timeout: Duration?

    /// - Parameters:
    ///   - key: the board's hashsig key.
    ///   - timeout: the sign call's timeout; the client's signing default when `nil`.
    public init(key: BoardHashsigKey, timeout: Duration? = nil) {
        self.key = key
        self.timeout = timeout
    }

    /// The board's ledger name, from its link.
    public var board: BoardName { key.link.name }

    /// Sends one PKEY_SIGN and never repeats it: a sign that may have reached the board may have
    /// spent a one-time key, and only the pool (and its journal) decides what happens next.
    /// - Returns: the RFC 8554 HSS signature.
    /// - Throws: ``SignAttemptError``: `exhausted`, `busy`, `unreachable` when the request never
    ///   left, `indeterminate` when it may have reached the board, `failed` otherwise.
    public func sign(_ message: [UInt8]) async throws(SignAttemptError) -> [UInt8] {
        do {
            return try await key.key.sign(message, timeout: timeout)
        } catch {
            throw Self.classify(error)
        }
    }

    /// The board's next top-level index and range, as its key reports them.
    /// - Throws: ``SignAttemptError`` sorted as for ``sign(_:)``.
    public func report() async throws(SignAttemptError) -> BoardReport? {
        do {
            return try await key.report()
        } catch {
            throw Self.classify(error)
        }
    }

    /// What an RPC failure means for the one-time keys.
    static func classify(_ error: any Error) -> SignAttemptError {
        switch error as? HSMClientError {
        case .device(.hashsigKeyExhausted)?:
            return .exhausted
        case .device(let status)? where status == .notReady || status == .coreBusy:
            return .busy("\(status)")
        case .device(let status)?:
            return .failed("\(status)")
        case .timeout(_, _, false)?:
            return .unreachable("\(error)")
        case .transport(let transport)?:
            // Opening the link failed: the request never left. Anything else may have been
            // a request in flight.
            switch transport.code {
            case .notFound, .permissionDenied, .busy, .unsupported, .invalidArgument, .untrustedPeer:
                return .unreachable("\(transport)")
            default:
                return .indeterminate("\(transport)")
            }
        case .requestTooLarge?, .invalidArgument?:
            return .failed("\(error)")
        default:
            return error.mayHaveReachedBoard ? .indeterminate("\(error)") : .failed("\(error)")
        }
    }
}
