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
                var names: [KeyName] = []
                for try await name in link.client.matchKeys(type: .hashsigPrivate) { names.append(name) }
                guard names.count == 1 else {
                    throw ValidationError("board \(link.name) holds \(names.count) hashsig keys: name one with --key-name")
                }
                key = try await BoardHashsigKey.open(names[0], on: link)
            }
            let identity = KeyIdentity(key.publicKey)
            let registration: KeyRegistration
            do {
                registration = try await Self.learnRange(of: key, identity: identity, ledger: ledger, stated: try statedRange(), label: label)
            } catch {
                await key.close()
                throw error
            }
            await key.close()
            let range = registration.range
            let result = Output(key: identity.description, board: link.name.rawValue, keyName: key.name.description,
                                range: "\(range)", next: "\(registration.next)", rangeLearned: registration.rangeLearned?.rawValue,
                                alreadyRegistered: (try? ledger.state(of: identity))?.holdings[link.name] != nil)
            guard !result.alreadyRegistered else {
                try await ledger.append(.observed(BoardObservation(board: link.name, range: registration.rangeLearned == .attributes ? range : nil,
                                                             next: registration.next, probeIndex: registration.probeIndex)), key: identity)
                if output.json { return try output.printJSON(result) }
                print("key \(identity) is already recorded as held by board \(link.name), range \(range) (\(Self.describe(registration.rangeLearned))); next index \(registration.next) recorded")
                return
            }
            try await ledger.append(.keyRegistered(registration), key: identity)
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
    /// The board's range and next index: from its SX1 attributes; else from the ledger (a
    /// share it saw arrive) or the operator's `--range`, either confirmed by a probe
    /// signature. Never guessed.
    static func learnRange(of key: BoardHashsigKey, identity: KeyIdentity, ledger: ShareLedger, stated: LeafRange?,
                           label: String?) async throws -> KeyRegistration {
        let board = key.link.name
        if let report = try await key.report(), let range = report.range {
            if let stated, stated != range {
                throw ShareFailure(.failed, "board \(board) reports \(range), not the --range \(stated)")
            }
            return KeyRegistration(publicKey: key.publicKey, board: board, keyName: key.name.description, range: range,
                                   next: report.next, label: label, rangeLearned: .attributes)
        }
        let recorded = (try? ledger.state(of: identity))?.holdings[board]?.range
        guard let range = recorded ?? stated else {
            throw ShareFailure(.failed, "board \(board) does not report its range (no SX1) and the ledger never saw this key arrive there: "
                + "give the range it holds with --range START:END (a probe signature will check it)")
        }
        if let recorded, let stated, stated != recorded {
            throw ShareFailure(.failed, "the ledger records \(recorded) for board \(board), not the --range \(stated)")
        }
        let probe = try await key.probe(Array("cryptech share register probe".utf8))
        guard range.contains(probe.index) else {
            throw ShareFailure(.failed, "board \(board) signed with top-level leaf \(probe.index), outside \(range): not registered")
        }
        return KeyRegistration(publicKey: key.publicKey, board: board, keyName: key.name.description, range: range,
                               next: probe.next, label: label, rangeLearned: recorded != nil ? .ledger : .stated, probeIndex: probe.index)
    }

    static func describe(_ evidence: RangeEvidence?) -> String {
        switch evidence {
        case .attributes?, nil: "reported by the board"
        case .generated?: "the whole top tree of a key generated just now; next index from a probe signature"
        case .ledger?: "from the ledger; confirmed by a probe signature"
        case .stated?: "as given with --range; confirmed by a probe signature"
        }
    }
}
