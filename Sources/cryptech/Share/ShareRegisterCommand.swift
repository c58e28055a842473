import ArgumentParser
import CryptechExitStatus
import HalRPC
import HashSig
import HashSigHost

/// `cryptech share register`: records a board's hashsig key in the ledger (usually right
/// after `cryptech hashsig keygen` on the board that will hand out the shares).
struct ShareRegisterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register",
        abstract: "Record a board's hashsig key and its range in the share ledger.",
        discussion: ExitStatus.help(.success, .failed, .badInput, .unreachable, .timeout, .protocolViolation, .usage))

    @Option(help: ArgumentHelp(
        "The share ledger: a JSON-lines file (created when absent), or etcd://HOST:PORT,…/PREFIX for one shared by several hosts.",
        valueName: "file|etcd-url"))
    var ledger: String

    @OptionGroup var etcd: EtcdOptions

    @OptionGroup var boards: BoardOptions

    @Option(help: ArgumentHelp("The key's name (UUID) on the board (default: its only hashsig key).", valueName: "uuid"))
    var keyName: String?

    @Option(help: ArgumentHelp("A note: what the key signs.", valueName: "text"))
    var label: String?

    @Option(help: ArgumentHelp(
        "The range the board holds, START:END (end exclusive), for a board without SX1 range attributes; a probe signature must confirm it.",
        valueName: "start:end"))
    var range: String?

    func validate() throws { _ = try statedRange() }

    /// `--range START:END`.
    func statedRange() throws -> LeafRange? {
        guard let range else { return nil }
        let parts = range.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let start = UInt32(parts[0]), let end = UInt32(parts[1]), start < end else {
            throw ValidationError("--range \(range): expected START:END with START < END, e.g. 0:512")
        }
        return LeafRange(start..<end)
    }

    @OptionGroup var output: OutputOptions

    /// `--json`: see docs/json.md. `range` and `next` are strings, as the command printed them
    /// before the shapes were documented.
    struct Output: Encodable {
        var key: String
        var board: String
        var keyName: String
        var range: String
        var next: String
        /// How the range was learned: `attributes`, `generated`, `ledger` or `stated`.
        var rangeLearned: String?
        /// The ledger already recorded this board's key: only its next index was recorded now.
        var alreadyRegistered: Bool
    }

    func run() async throws {
        try await ShareFailure.run {
            let ledger = try await etcd.open(ledger)
            let (links, _) = try await boards.connect()
            defer { Task { await BoardOptions.close(links) } }
            guard links.count == 1, let link = links.first else { throw ValidationError("give exactly one --board") }
            let key: BoardHashsigKey
            if let keyName {
                guard let name = KeyName(uuidString: keyName) else { throw ValidationError("--key-name: not a UUID") }
                key = try await BoardHashsigKey.open(name, on: link)
            } else {
                key = try await BoardHashsigKey.withListedNames(on: link.client) { names in
                    guard names.count == 1 else {
                        throw ValidationError("board \(link.name) holds \(names.count) hashsig keys: name one with --key-name")
                    }
                    return try await BoardHashsigKey.open(names[0], on: link)
                }
            }
            let identity = KeyIdentity(key.publicKey)
            let registration: KeyRegistration
            let alreadyRecorded: Bool
            do {
                (registration, alreadyRecorded) = try await ledger.register(
                    key, .existing(stated: try statedRange()), label: label, probeMessage: Array("cryptech share register probe".utf8))
            } catch KeyRegistrationError.rangeUnknown(let board) {
                throw ShareFailure(.failed, "\(KeyRegistrationError.rangeUnknown(board: board)) with --range START:END (a probe signature will check it)")
            }
            let range = registration.range
            let result = Output(key: identity.description, board: link.name.rawValue, keyName: key.name.description,
                                range: "\(range)", next: "\(registration.next)", rangeLearned: registration.rangeLearned?.rawValue,
                                alreadyRegistered: alreadyRecorded)
            if alreadyRecorded {
                // ShareLedger.register wrote the observation already.
                if output.json { return try output.printJSON(result) }
                print("key \(identity) is already recorded as held by board \(link.name), range \(range) (\(Self.describe(registration.rangeLearned))); next index \(registration.next) recorded")
                return
            }
            let report = BoardReport(next: registration.next, range: range)
            if output.json {
                try output.printJSON(result)
            } else {
                print("registered key \(identity)\n  on board \(link.name) as \(key.name), range \(range), next index \(report.next)"
                    + " (range \(Self.describe(registration.rangeLearned)))")
            }
        }
    }
}

extension ShareRegisterCommand {
    static func describe(_ evidence: RangeEvidence?) -> String {
        switch evidence {
        case .attributes?, nil: "reported by the board"
        case .generated?: "the whole top tree of a key generated just now; next index from a probe signature"
        case .ledger?: "from the ledger; confirmed by a probe signature"
        case .stated?: "as given with --range; confirmed by a probe signature"
        }
    }
}
