import ArgumentParser
import CryptechExitStatus
import EtcdClient
import HashSigHost

/// `cryptech share repair`: sets a damaged last ledger line aside, on a person's request.
struct ShareRepairCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repair",
        abstract: "Set aside a ledger's damaged last line (cut short by a crash), recording its size, SHA-256 and first 4 KiB.",
        discussion: """
            Only a ledger file can be torn: an etcd ledger is written by transactions, all or \
            nothing. Only the last line is ever repaired; damage before it needs a person. The file is \
            replaced atomically, and writers waiting for the ledger meanwhile append to the \
            repaired file. If the line \
            set aside recorded an export, run 'cryptech share export --resume' next: it asks \
            the boards what happened.
            """ + "\n\n" + ExitStatus.help(.success, .failed, .usage))

    @Option(help: ArgumentHelp("The share ledger.", valueName: "file"))
    var ledger: String

    @OptionGroup var output: OutputOptions
    @OptionGroup var logging: LoggingOptions

    /// `--json`: see docs/json.md.
    struct Output: Encodable {
        var ledger: String
        /// The line set aside.
        var line: Int
        var setAsideBytes: Int
        /// SHA-256 (hex) of the bytes set aside.
        var sha256: String?
        var reason: String
    }

    func run() async throws {
        try await ShareFailure.run {
            if EtcdLocation.isLocation(ledger) {
                throw ShareFailure(.badInput, "\(ledger): an etcd ledger is written by transactions, all or nothing; there is no torn line to repair")
            }
            let repair = try ShareLedger.repair(path: ledger)
            if output.json {
                return try output.printJSON(Output(ledger: ledger, line: repair.line, setAsideBytes: repair.setAsideByteCount,
                                                   sha256: repair.droppedSHA256, reason: repair.reason))
            }
            print("set aside line \(repair.line) (\(repair.setAsideByteCount) bytes): \(repair.reason)")
        }
    }
}
