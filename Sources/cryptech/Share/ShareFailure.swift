import ArgumentParser
import Foundation
import HashSigHost

/// How a `cryptech share` command ends when it fails: one line on stderr, and the exit status
/// listed in ``ShareCommand``.
struct ShareFailure: Error {
    let status: Int32
    let message: String

    static let failed: Int32 = 1
    static let ledgerDamaged: Int32 = 2
    static let lowCapacity: Int32 = 3
    static let alarm: Int32 = 4

    init(_ status: Int32, _ message: String) {
        self.status = status
        self.message = message
    }

    /// The failure for an error from the library.
    init(_ error: any Error) {
        switch error {
        case let failure as ShareFailure:
            self = failure
        case let error as LedgerError:
            switch error {
            case .truncatedLastLine, .corruptedLastLine, .malformedLine, .chainBroken, .sequenceMismatch, .inconsistent:
                self.init(Self.ledgerDamaged, "\(error)")
            default:
                self.init(Self.failed, "\(error)")
            }
        case let error as ShareExportError:
            switch error {
            case .ledger(let ledger): self.init(ledger)
            case .alarms: self.init(Self.alarm, "\(error)")
            default: self.init(Self.failed, "\(error)")
            }
        case let error as ValidationError:
            self.init(ExitCode.validationFailure.rawValue, error.message)
        default:
            self.init(Self.failed, "\(error)")
        }
    }

    /// Runs `body`, turning any error into its line on stderr and its exit status.
    static func run(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let exit as ExitCode {
            throw exit
        } catch {
            let failure = ShareFailure(error)
            FileHandle.standardError.write(Data("cryptech share: \(failure.message)\n".utf8))
            throw ExitCode(failure.status)
        }
    }
}
