import ArgumentParser
import CryptechExitStatus
import Foundation
import HalRPC
import HashSig
import HashSigHost

/// `cryptech share audit`: checks signatures made under a shared key against the ledger's
/// shares.
struct ShareAuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Verify signatures and check each was made inside the share of the board that made it.",
        discussion: """
            Signatures come from signer-pool journals (--journal) and from signature/message \
            file pairs (--pair SIG:MESSAGE[:BOARD]). Flags: invalid signatures, indices outside \
            every share, a board signing outside its own share, and a one-time key that signed \
            two different things: an alarm. Indeterminate sign attempts and journal lines torn by \
            a crash are listed (each may have used a one-time key) but are no alarm. The ledger's head is shown and checked against its \
            latest checkpoint and the boards given with --board (asked only for their checkpoint \
            keys; see 'share status'); a ledger that fails them ends with unusable input (2) \
            before any signature is audited.
            """ + "\n\n" + ExitStatus.help(.success, .failed, .badInput, .alarm, .usage))

    @OptionGroup var ledgerOptions: LedgerOptions
    @OptionGroup var boards: BoardOptions
    @OptionGroup var checkpoint: CheckpointOptions

    @Option(help: ArgumentHelp("A signer-pool journal (repeatable).", valueName: "file"))
    var journal: [String] = []

    @Option(help: ArgumentHelp("A signature file, its message file, and optionally the board that made it (repeatable).", valueName: "sig:message[:board]"))
    var pair: [String] = []

    @Option(help: ArgumentHelp("Verify with this board's hash cores (a device path) instead of OpenSSL.", valueName: "path"))
    var hashDevice: String?

    @OptionGroup var output: OutputOptions

    struct Output: Encodable {
        var key: String
        var audited: Int
        var valid: Int
        var clean: Bool
        var findings: [[String: String]]
        var boards: [String: SignatureAuditor.BoardTally]
        var ledger: LedgerIntegrity
    }

    func run() async throws {
        try await ShareFailure.run {
            let ledger = try await ledgerOptions.open()
            let key = try ledgerOptions.keyIdentity(in: ledger)
            let state = try ledger.state(of: key)
            let (links, _) = try await boards.connect()
            let integrity: LedgerIntegrity
            do {
                integrity = try checkpoint.verify(ledger, boards: try await checkpoint.boards(for: ledger, links: links))
            } catch {
                await BoardOptions.close(links)
                throw error
            }
            await BoardOptions.close(links)
            var policy = VerificationPolicy.software
            var client: HSMClient?
            if let hashDevice {
                let board = boards.wait.client(.serial(devicePath: hashDevice, speed: HSMEndpoint.defaultSpeed), board: hashDevice, logging: boards.logging)
                client = board
                policy = .board(board, name: hashDevice)
            }
            defer { if let client { Task { await client.close() } } }
            var auditor = SignatureAuditor(publicKey: state.publicKey, shares: ShareMap(state: state), policy: policy)
            var items: [SignatureAuditor.Item] = []
            for path in journal {
                let (journalItems, notes) = SignatureJournal.auditItems(try SignatureJournal.read(path: path), path: path)
                items += journalItems
                for note in notes { auditor.note(note) }
            }
            for text in pair {
                let parts = text.split(separator: ":", maxSplits: 2).map(String.init)
                guard parts.count >= 2 else { throw ValidationError("--pair \(text): expected SIG:MESSAGE[:BOARD]") }
                let board = try parts.count == 3 ? BoardName(parts[2]) : nil
                items.append(SignatureAuditor.Item(name: parts[0], message: try Self.read(parts[1]), signature: try Self.read(parts[0]), board: board))
            }
            let timer = ElapsedTimer("auditing \(items.count) signatures")
            for (index, item) in items.enumerated() {
                timer.update("auditing \(index + 1)/\(items.count)")
                try await auditor.audit(item)
            }
            timer.stop()
            if output.json {
                try output.printJSON(Output(
                    key: key.description, audited: auditor.audited, valid: auditor.valid, clean: auditor.isClean,
                    findings: auditor.findings.map { ["item": $0.item, "kind": $0.kind, "message": $0.description] },
                    boards: Dictionary(uniqueKeysWithValues: auditor.tallies.map { ($0.key.rawValue, $0.value) }), ledger: integrity))
            } else {
                print("audited \(auditor.audited) signatures under \(key.shortDescription): \(auditor.valid) valid")
                var table = TextTable("board", "signatures", "lowest q", "highest q")
                for (board, tally) in auditor.tallies.sorted(by: { $0.key < $1.key }) {
                    table.add(board.rawValue, "\(tally.signatures)", tally.lowestIndex.map { "\($0)" } ?? "-",
                              tally.highestIndex.map { "\($0)" } ?? "-")
                }
                print(table.render())
                for finding in auditor.findings { print((finding.isAlarm ? "ALARM: " : "note: ") + finding.description) }
                print(integrity.lines.joined(separator: "\n"))
            }
            if !auditor.isClean { throw ExitCode(.alarm) }
        }
    }

    static func read(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("cannot read \(path)") }
        return Array(data)
    }
}
