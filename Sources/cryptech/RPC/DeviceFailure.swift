import ArgumentParser
import Foundation
import HalRPC

/// How a failed board operation ends a command: one line on stderr naming the endpoint, and
/// an exit status a script can tell apart.
///
/// | status | meaning |
/// |---|---|
/// | 1 | the board refused (its status, such as a wrong PIN, is in the message) |
/// | 3 | the board could not be reached, or the link failed |
/// | 4 | no reply in time |
/// | 5 | the reply did not follow the protocol |
/// | 64 | bad usage: ArgumentParser's own status (`EX_USAGE`), also used for a missing or
///        unreadable PIN source and for arguments the protocol cannot carry |
struct DeviceFailure {
    let error: HSMClientError
    let endpoint: HSMEndpoint

    init(_ error: HSMClientError, endpoint: HSMEndpoint) {
        self.error = error
        self.endpoint = endpoint
    }

    var status: Int32 {
        switch error {
        case .device: 1
        case .invalidArgument, .requestTooLarge: ExitCode.validationFailure.rawValue
        case .transport: 3
        case .timeout: 4
        case .unexpectedReply, .malformedReply: 5
        }
    }

    var message: String {
        switch error {
        // A transport error already names its device or socket path.
        case .transport(let transport): "\(transport)"
        default: "\(endpoint.path): \(error)"
        }
    }

    /// Prints the line and returns the exit code to throw.
    func report() -> ExitCode {
        FileHandle.standardError.write(Data("cryptech: \(message)\n".utf8))
        return ExitCode(status)
    }
}
