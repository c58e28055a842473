import ArgumentParser
import CryptechExitStatus
import Foundation
import HashSig
import HashSigHost

/// `cryptech hashsig sign`: signs with a software key file, saving the advanced state first.
struct HashSigSignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Sign a message with a software HSS/LMS key file.",
        discussion: """
            The key file is rewritten with the advanced signing state (temporary file, fsync, \
            rename, fsync of the directory) before the signature is written, so that no one-time \
            key is ever used twice, even across a crash; and it is read, signed with and saved \
            under a lock (flock on KEY.lock beside it), so that two runs at once never sign with \
            the same state (the second waits, at most 30 s). The message is read up to \
            \(HashSigIO.fileLimit >> 30) GiB, the key file up to \(SoftwareKeyFile.sizeLimit >> 20) MiB.
            """ + "\n\n" + ExitStatus.help(.success, .failed, .badInput, .unreachable, .timeout, .protocolViolation, .usage)
    )

    @Option(name: .customLong("key"),
            help: ArgumentHelp("The key file (rewritten; required without --device or --socket).", valueName: "file"))
    var keyPath: String?

    @Option(name: .customLong("sig"), help: ArgumentHelp("Where to write the signature; - for standard output.", valueName: "file|-"))
    var signaturePath: String

    @Option(name: .customLong("message"),
            help: ArgumentHelp("The message to sign; - for standard input.", valueName: "file|-"))
    var messagePath = "-"

    @OptionGroup var board: HashSigBoardOptions
    @OptionGroup var output: OutputOptions

    /// `--json`: see docs/json.md.
    struct Output: Encodable {
        /// A board's key: its identity, I:T1 in hex.
        var key: String?
        /// The leaf index at every level, top first.
        var leafIndices: [UInt32]
        /// Where the signature was written.
        var signature: String
        /// A software key: the top-level leaves it has left.
        var topLeavesLeft: UInt32?
        /// A board's key: the board.
        var endpoint: String?
    }

    func validate() throws {
        if !board.isBoard { _ = try softwareKeyPath() }
        if output.json, signaturePath == "-" { throw ValidationError("--json prints the result on standard output: give --sig a file") }
    }

    /// `--key`, which a software key needs: a file, since it is rewritten.
    private func softwareKeyPath() throws -> String {
        guard let keyPath else { throw ValidationError.missing("--key <file>", unless: "--device or --socket to sign on a board") }
        guard keyPath != "-" else { throw ValidationError("--key: a key file, not standard input (it is rewritten)") }
        return keyPath
    }

    func run() async throws {
        if board.isBoard { return try await HashSigIO.runAsync { try await HashSigBoard.sign(self) } }
        try HashSigIO.run {
            let keyPath = try softwareKeyPath()
            let message = try HashSigIO.read(messagePath, what: "message")
            // A missing key fails as a read does, before a lock file is made beside it.
            if !FileManager.default.isReadableFile(atPath: keyPath) { _ = try HashSigIO.read(keyPath, what: "key file") }
            let signature: HSS.Signature
            let state: HSS.SigningState
            do throws(SoftwareKeyError) {
                (signature, state) = try SoftwareKeyFile(path: keyPath).sign(message)
            } catch {
                throw HashSigIO.Failure(error)
            }
            try HashSigIO.writeOutput(signature.bytes, to: signaturePath)
            let left = state.topLeafRange.upperBound - state.topLeafIndex
            HashSigIO.printError("signed with leaf indices q=\(signature.leafIndices.map(String.init).joined(separator: ",")); "
                + "\(left) top-level leaves left")
            if output.json {
                try output.printJSON(Output(leafIndices: signature.leafIndices,
                                            signature: signaturePath, topLeavesLeft: UInt32(left)))
            }
        }
    }
}
