import ArgumentParser
import CryptechExitStatus
import Foundation
import HalRPC

/// How a failed board operation ends a command: one line on stderr naming the endpoint (and,
/// for a common failure, a line with what to try next), and the ``ExitStatus`` of the error.
struct DeviceFailure {
    let error: HSMClientError
    let endpoint: HSMEndpoint

    init(_ error: HSMClientError, endpoint: HSMEndpoint) {
        self.error = error
        self.endpoint = endpoint
    }

    var status: ExitStatus { ExitStatus(error) }

    var message: String {
        switch error {
        // A transport error already names its device or socket path.
        case .transport(let transport): "\(transport)"
        default: "\(endpoint.path): \(error)"
        }
    }

    /// Prints the lines and returns the exit code to throw.
    func report() -> ExitCode {
        let hint = FailureHint.forClient(error, endpoint: endpoint).map { "cryptech: hint: \($0)\n" } ?? ""
        FileHandle.standardError.write(Data("cryptech: \(message)\n\(hint)".utf8))
        return ExitCode(status)
    }
}

extension ExitStatus {
    /// The status a client error ends a command with: the board refused (its status, such as
    /// a wrong PIN, is in the message), could not be reached, did not reply in time (or its
    /// reply was lost), or broke the protocol (a damaged reply); arguments the protocol cannot carry are a usage error.
    init(_ error: HSMClientError) {
        self = switch error {
        case .device: .failed
        case .invalidArgument, .requestTooLarge: .usage
        case .transport: .unreachable
        case .timeout, .replyLost: .timeout
        case .unexpectedReply, .damagedReply: .protocolViolation
        }
    }
}
