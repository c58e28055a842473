import ArgumentParser
import CryptechExitStatus
import Foundation
import HashSig
import HashSigHost

/// `cryptech share sign`: signs with whichever board of the pool has leaves left.
struct ShareSignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Sign a message with the boards sharing a key, failing over between them.",
        discussion: """
            The board with the most leaves left signs (or the first of --priority that can). \
            Every signature is verified on the host and recorded in the journal before it is \
            written out. A sign request that timed out after reaching a board is never sent \
            again by this command: it is recorded, and the command fails. A journal line torn by \
            a crash is set aside by the next entry (kept in place, marked with its size and \
            digest); 'share audit' reports it.
            """ + "\n\n" + ExitStatus.help(.success, .failed, .badInput, .usage))

    @OptionGroup var ledgerOptions: LedgerOptions
    @OptionGroup var boards: BoardOptions

    @Option(help: ArgumentHelp("The message; - for standard input.", valueName: "file|-"))
    var message = "-"

    @Option(help: ArgumentHelp("Where to write the signature; - for standard output.", valueName: "file|-"))
    var sig: String

    @Option(help: ArgumentHelp("The signer-pool journal the audit reads (appended).", valueName: "file"))
    var journal: String

    @Option(help: ArgumentHelp("Boards in order of preference, e.g. A,B.", valueName: "list"))
    var priority: String?

    @OptionGroup var output: OutputOptions

    /// `--json`: see docs/json.md.
    struct Output: Encodable {
        var key: String
        var board: String
        /// The top-level leaf index: which one-time key of the shared top tree signed.
        var topLeafIndex: UInt32
        /// The leaf index at every level, top first.
        var leafIndices: [UInt32]
        /// Where the signature was written.
        var signature: String
        /// Boards passed over before this one, and why.
        var passedOver: [String: String]
    }

    func validate() throws {
        if output.json, sig == "-" { throw ValidationError("--json prints the result on standard output: give --sig a file") }
    }

    func run() async throws {
        try await ShareFailure.run {
            let ledger = try await ledgerOptions.open()
            let key = try ledgerOptions.keyIdentity(in: ledger)
            let state = try ledger.state(of: key)
            let bytes = message == "-" ? Array(FileHandle.standardInput.readDataToEndOfFile())
                                       : Array(try Data(contentsOf: URL(fileURLWithPath: message)))
            let (links, unreachable) = try await boards.connect(tolerant: true)
            defer { Task { await BoardOptions.close(links) } }
            var signers: [any ShareSigner] = []
            for link in links {
                guard let holding = state.holdings[link.name], let name = KeyName(uuidString: holding.keyName) else { continue }
                do {
                    signers.append(BoardSigner(key: try await BoardHashsigKey.open(name, on: link)))
                } catch {
                    FileHandle.standardError.write(Data("cryptech share: board \(link.name): \(error)\n".utf8))
                }
            }
            for (board, reason) in unreachable {
                FileHandle.standardError.write(Data("cryptech share: board \(board) unreachable: \(reason)\n".utf8))
            }
            var options = SignerPool.Options()
            if let priority { options.selection = .priority(try ShareRequest.parseBoards(priority)) }
            options.logger = boards.logging.logger("cryptech.share.pool")
            let pool = SignerPool(publicKey: state.publicKey, signers: signers, shares: ShareMap(state: state),
                                  journal: SignatureJournal(path: journal), ledger: (ledger, key), options: options)
            await pool.refresh()
            let result: Result<PoolSignature, SignerPoolError>
            let start = ContinuousClock.now
            do throws(SignerPoolError) {
                result = .success(try await pool.sign(bytes))
            } catch {
                result = .failure(error)
            }
            let elapsed = ContinuousClock.now - start
            // Give the boards their key handles back (a board has 256 for all clients).
            for case let signer as BoardSigner in signers { await signer.key.close() }
            let signed = try result.get()
            if sig == "-" {
                FileHandle.standardOutput.write(Data(signed.signature))
            } else {
                try Data(signed.signature).write(to: URL(fileURLWithPath: sig), options: .atomic)
            }
            FileHandle.standardError.write(Data(
                "signed by board \(signed.board) in \(ElapsedTimer.seconds(elapsed)) s, top-level q=\(signed.topLeafIndex)\n".utf8))
            if output.json {
                try output.printJSON(Output(
                    key: key.description, board: signed.board.rawValue, topLeafIndex: signed.topLeafIndex,
                    leafIndices: signed.leafIndices, signature: sig,
                    passedOver: Dictionary(uniqueKeysWithValues: signed.skipped.map { ($0.key.rawValue, "\($0.value)") })))
            }
        }
    }
}

import HalRPC
