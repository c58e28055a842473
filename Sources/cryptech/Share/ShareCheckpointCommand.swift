import ArgumentParser
import CryptechExitStatus
import Foundation
import HashSigHost
import SystemPackage

/// `cryptech share checkpoint`: the ledger's head signed by a board's checkpoint key, recorded
/// in the ledger and anchored on the board.
struct ShareCheckpointCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint",
        abstract: "Sign the ledger's head with a board's checkpoint key; record it in the ledger and on the board.",
        discussion: """
            The board's checkpoint key for this ledger (EC P-256, made on the board the first \
            time, never exportable) signs the head: the record count and the SHA-256 of the last \
            line. The signature is appended as a 'checkpoint' record, and the board keeps the \
            head through that record in the key's attributes, so a file cut short is caught too. \
            'share status', 'plan' and 'audit' then verify the ledger: with the key pinned by \
            --checkpoint-key (the trust anchor: keep the file away from the ledger), or with a \
            board given with --board; only a board catches a cut file. A ledger that fails its \
            previous checkpoint is not signed (unusable input, 2).
            """ + "\n\n" + ExitStatus.help(.success, .failed, .badInput, .unreachable, .timeout, .protocolViolation, .usage))

    @Option(help: ArgumentHelp("The share ledger: a file, or etcd://HOST:PORT,…/PREFIX.", valueName: "file|etcd-url"))
    var ledger: String

    @OptionGroup var etcd: EtcdOptions

    @OptionGroup var boards: BoardOptions

    @Option(help: ArgumentHelp(
        "The checkpoint key's public key (DER): when the file exists, the board must hold that key; when absent, the key's public key is written there to pin it.",
        valueName: "file"))
    var checkpointKey: String?

    @OptionGroup var output: OutputOptions

    /// `--json`: see docs/json.md.
    struct Output: Encodable {
        var ledger: String
        var board: String
        /// The records signed (1 through this) and the SHA-256 of the last of them.
        var records: Int
        var head: String
        /// The checkpoint key's name (UUID) on the board.
        var signer: String
        /// Whether the board made the checkpoint key just now.
        var created: Bool
        /// The checkpoint's own record number.
        var record: Int
        /// The head the board keeps now (through the checkpoint record).
        var anchored: LedgerHead
        /// Where the key's public key was written to pin it, if it was.
        var checkpointKeyWritten: String?
    }

    func run() async throws {
        try await ShareFailure.run {
            let ledger = try await etcd.open(ledger)
            let pinned = try checkpointKey.flatMap { path in
                try FileManager.default.fileExists(atPath: path) ? CheckpointOptions.readKey(path) : nil
            }
            let (links, _) = try await boards.connect()
            defer { Task { await BoardOptions.close(links) } }
            guard links.count == 1, let link = links.first else { throw ValidationError("give exactly one --board") }
            let made: ShareLedger.CheckpointMade
            do {
                made = try await ledger.checkpoint(on: link, pinnedKey: pinned)
            } catch LedgerCheckpointError.tampered(let failures) {
                throw ShareFailure(.badInput, "\(ledger.path) fails its checkpoint, not signed: " + failures.joined(separator: "; "))
            }
            if let checkpointKey, pinned == nil {
                try HashSigIO.writeAtomically(made.publicKey, to: checkpointKey, mode: FilePermissions(rawValue: 0o644))
            }
            let checkpoint = made.checkpoint
            if output.json {
                return try output.printJSON(Output(
                    ledger: ledger.path, board: checkpoint.board.rawValue, records: checkpoint.records, head: checkpoint.head.hex,
                    signer: checkpoint.signer, created: made.created, record: made.record, anchored: made.anchored,
                    checkpointKeyWritten: pinned == nil ? checkpointKey : nil))
            }
            print("records 1-\(checkpoint.records) (digest \(checkpoint.head.hex)) signed by board \(checkpoint.board) "
                + "key \(checkpoint.signer)\(made.created ? " (made just now)" : ""); recorded as record \(made.record)")
            print("board \(checkpoint.board) anchors records 1-\(made.anchored.records), digest \(made.anchored.digest.hex)")
            if let checkpointKey, pinned == nil { print("checkpoint key's public key written to \(checkpointKey): keep it away from the ledger") }
        }
    }
}
