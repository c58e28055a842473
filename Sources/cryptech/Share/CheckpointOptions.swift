import ArgumentParser
import Foundation
import HashSigHost

/// `--checkpoint-key`, and the check every ledger read makes: the ledger's head, its latest
/// checkpoint and the heads the boards given anchored.
struct CheckpointOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "The ledger checkpoint key's public key (DER), pinned outside the ledger: checkpoints are verified with it (default: the key of a board given with --board).",
        valueName: "file"))
    var checkpointKey: String?

    /// The pinned SubjectPublicKeyInfo.
    func pinnedKey() throws -> [UInt8]? {
        try checkpointKey.map(Self.readKey)
    }

    /// A pinned public key file.
    static func readKey(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path), !data.isEmpty else {
            throw ValidationError("--checkpoint-key: cannot read \(path)")
        }
        return Array(data)
    }

    /// What the boards given hold for `ledger`: one board query each, reused for every check.
    struct Boards {
        var keys: [LedgerIntegrity.BoardKey] = []
        var without: [BoardName] = []
    }

    /// Reads the checkpoint keys of `links`.
    func boards(for ledger: ShareLedger, links: [BoardLink]) async throws -> Boards {
        let pinned = try pinnedKey()
        var boards = Boards()
        for link in links {
            do {
                if let key = try await LedgerIntegrity.BoardKey.read(for: ledger, pinnedKey: pinned, on: link) {
                    boards.keys.append(key)
                } else {
                    boards.without.append(link.name)
                }
            } catch {
                // A link failure keeps its status (unreachable, timeout, protocol).
                throw ShareFailure(ShareFailure(error).status, "board \(link.name): reading its ledger checkpoint key: \(error)")
            }
        }
        return boards
    }

    /// The ledger checked against its checkpoint and `boards`.
    func integrity(of ledger: ShareLedger, boards: Boards) throws -> LedgerIntegrity {
        LedgerIntegrity(ledger: ledger, pinnedKey: try pinnedKey(), boardKeys: boards.keys, boardsWithoutKey: boards.without)
    }

    /// Checks the ledger before anything else is done with it: when a checkpoint or a board's
    /// anchor fails, the report goes to standard error and the command ends with exit status 2.
    @discardableResult
    func verify(_ ledger: ShareLedger, boards: Boards) throws -> LedgerIntegrity {
        let integrity = try integrity(of: ledger, boards: boards)
        guard integrity.isIntact else {
            FileHandle.standardError.write(Data((integrity.lines.joined(separator: "\n") + "\n").utf8))
            throw ShareFailure(.badInput, "\(ledger.path) fails its checkpoint: " + integrity.failures.joined(separator: "; "))
        }
        return integrity
    }
}
