import ArgumentParser
import CryptechExitStatus
import DurableFile
import Foundation
import HalRPC
import HashSigHost

/// How a `cryptech share` command ends when it fails: one line on stderr (and, for a common
/// failure, a line with what to try next), and its ``ExitStatus``.
struct ShareFailure: Error {
    let status: ExitStatus
    let message: String
    var hint: String?

    init(_ status: ExitStatus, _ message: String, hint: String? = nil) {
        self.status = status
        self.message = message
        self.hint = hint
    }

    /// The failure for an error from the library.
    init(_ error: any Error) {
        switch error {
        case let failure as ShareFailure:
            self = failure
        case let error as LedgerError:
            switch error {
            case .truncatedLastLine, .corruptedLastLine, .malformedLine, .chainBroken, .sequenceMismatch, .inconsistent,
                 .notEmpty, .nothingToCopy:
                self.init(.badInput, "\(error)")
            case .unavailable:
                // No quorum: nothing was written and no board was touched.
                self.init(.unreachable, "\(error)")
            case .busy:
                self.init(.failed, "\(error)", hint: FailureHint.forLedger(error))
            case .file(let failure):
                // A ledger or journal beyond its read limit is unusable input; other file
                // failures (a full disk, permissions) are the operation failing.
                if case .tooLarge = failure.reason { self.init(.badInput, "\(error)") } else { self.init(.failed, "\(error)") }
            default:
                self.init(.failed, "\(error)")
            }
        case let error as ShareExportError:
            switch error {
            case .ledger(let ledger): self.init(ledger)
            case .alarms: self.init(.alarm, "\(error)")
            default: self.init(.failed, "\(error)")
            }
        case let error as HSMClientError:
            self.init(ExitStatus(error), "\(error)")
        default:
            self.init(.failed, "\(error)")
        }
    }

    /// Runs `body`, turning any error into its line on stderr and its exit status. A
    /// `ValidationError` goes on to ArgumentParser, which reports it as every usage error.
    static func run(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let exit as ExitCode {
            throw exit
        } catch let usage as ValidationError {
            throw usage
        } catch {
            let failure = ShareFailure(error)
            let hint = failure.hint.map { "cryptech share: hint: \($0)\n" } ?? ""
            FileHandle.standardError.write(Data("cryptech share: \(failure.message)\n\(hint)".utf8))
            throw ExitCode(failure.status)
        }
    }
}
