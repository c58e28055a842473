import CryptechTransport
import HalRPC

/// A board's share as a ``ShareSigner``: PKEY_SIGN on its key, errors sorted by what they
/// mean for one-time keys.
public struct BoardSigner: ShareSigner {
    public let key: BoardHashsigKey
    /// The sign call's timeout (the client's default for signing when `nil`).
    public let timeout: Duration?

    public init(key: BoardHashsigKey, timeout: Duration? = nil) {
        self.key = key
        self.timeout = timeout
    }

    public var board: BoardName { key.link.name }

    public func sign(_ message: [UInt8]) async throws(SignAttemptError) -> [UInt8] {
        do {
            return try await key.key.sign(message, timeout: timeout)
        } catch {
            throw Self.classify(error)
        }
    }

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
