import ArgumentParser
import CryptechExitStatus
import Foundation
import HalRPC
import HashSig
import HashSigHost
import SystemPackage

/// `cryptech hashsig keygen|sign|pubkey` on a board (`--socket`/`--device`).
enum HashSigBoard {
    /// PKEY_GENERATE_HASHSIG, then the raw public key to `publicKeyPath`; optionally records
    /// the key in a share ledger.
    static func keygen(_ command: HashSigKeygenCommand) async throws {
        // The ledger must be able to take the key before the board makes it: a key no ledger
        // knows has leaves nobody accounts for.
        var ledger: ShareLedger?
        if let location = command.boardKeygen.ledger { ledger = try await writableLedger(location, etcd: command.boardKeygen.etcd) }
        let boardName = try BoardName(command.boardKeygen.boardName ?? "A")
        let board = command.board
        try await board.withBoard { client, endpoint in
            var flags: KeyFlags = [.digitalSignature, .token]
            if !command.boardKeygen.notExportable { flags.insert(.exportable) }
            let timer = ElapsedTimer("generating a hashsig key on \(endpoint.path)")
            defer { timer.stop() }
            let start = ContinuousClock.now
            let key = try await client.generateHashsigKey(
                levels: command.levels, lmsType: LMSTypeCode(rawValue: command.lms.type.rawValue),
                lmotsType: LMOTSTypeCode(rawValue: command.lmots.type.rawValue), flags: flags)
            let publicKey = try HSS.PublicKey(boardDER: try await key.publicKey())
            timer.lap("board \(endpoint.path): key generation", since: start)
            timer.stop()
            try HashSigIO.writeAtomically(publicKey.bytes, to: command.publicKeyPath, mode: FilePermissions(rawValue: 0o644))
            let name = key.name?.description ?? "?"
            var result = HashSigKeygenCommand.Output(
                key: "\(KeyIdentity(publicKey))", levels: command.levels, lms: "\(command.lms.type)", lmots: "\(command.lmots.type)",
                signatures: "2^\(command.lms.type.height * command.levels)",
                signatureLength: HSS.signatureLength(levels: Array(repeating: LMS.Parameters(command.lms.type, command.lmots.type),
                                                                   count: command.levels)),
                publicKey: command.publicKeyPath, endpoint: endpoint.path, keyName: name, exportable: flags.contains(.exportable))
            if !command.output.json {
                print("generated HSS key \(name) on \(endpoint.path): L=\(command.levels), \(command.lms.type)/\(command.lmots.type)"
                    + (flags.contains(.exportable) ? ", exportable (shares can be exported)" : ""))
                print("public key \(command.publicKeyPath); key identity \(KeyIdentity(publicKey))")
            }
            if let ledger {
                let opened = BoardHashsigKey(link: BoardLink(name: boardName, client: client), key: key, name: key.name ?? .zero,
                                             publicKey: publicKey)
                let (registration, _) = try await ledger.register(opened, .generatedJustNow,
                                                                  probeMessage: Array("cryptech hashsig keygen probe".utf8))
                result.ledger = .init(ledger: ledger.path, board: boardName.rawValue, range: "\(registration.range)", next: registration.next)
                if !command.output.json {
                    print("registered in \(ledger.path) as held by board \(boardName), range \(registration.range), next index \(registration.next)"
                        + (registration.probeIndex.map { " (no SX1 range attributes: next index from a probe signature, q=\($0))" } ?? ""))
                }
            } else {
                try? await key.close()
            }
            if command.output.json { try command.output.printJSON(result) }
        }
    }

    /// The ledger at `location`, read (a damaged or unreachable one refuses here), once it is
    /// clear a record can be appended: a file's directory exists and is writable, and so is the
    /// file if it exists.
    /// - Throws: ``HashSigIO/Failure`` naming the ledger.
    private static func writableLedger(_ location: String, etcd: EtcdOptions) async throws -> ShareLedger {
        let store = try etcd.store(for: location)
        if let file = store as? FileLedgerStore {
            let path = file.path
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
            let exists = FileManager.default.fileExists(atPath: path)
            guard access(directory, W_OK) == 0, !exists || access(path, W_OK) == 0 else {
                throw HashSigIO.Failure.input("the ledger \(path) cannot be written (\(HashSigIO.errnoText())); no key was generated")
            }
        }
        do {
            return try await ShareLedger(store: store)
        } catch {
            throw HashSigIO.Failure.input("\(error); no key was generated")
        }
    }

    /// PKEY_SIGN, verified on the host before the signature is written.
    static func sign(_ command: HashSigSignCommand) async throws {
        let message = try HashSigIO.read(command.messagePath, what: "message")
        try await command.board.withBoard { client, endpoint in
            let key = try await command.board.key(on: client, endpoint: endpoint)
            let publicKey = try HSS.PublicKey(boardDER: try await key.publicKey())
            let start = ContinuousClock.now
            let signature = try await key.sign(message)
            let elapsed = ContinuousClock.now - start
            try? await key.close()
            guard publicKey.isValidSignature(signature, for: message) else {
                throw HashSigIO.Failure.failed("the board's signature does not verify; not written")
            }
            try HashSigIO.writeOutput(signature, to: command.signaturePath)
            let indices = (try? HSS.Signature(bytes: signature).leafIndices) ?? []
            HashSigIO.printError("signed on \(endpoint.path) in \(ElapsedTimer.seconds(elapsed)) s with leaf indices q="
                + (indices.isEmpty ? "?" : indices.map(String.init).joined(separator: ",")))
            if command.output.json {
                try command.output.printJSON(HashSigSignCommand.Output(
                    key: "\(KeyIdentity(publicKey))", leafIndices: indices, signature: command.signaturePath, endpoint: endpoint.path))
            }
        }
    }
}

/// `cryptech hashsig pubkey`: the raw RFC 8554 public key of a board's key or a key file.
struct HashSigPubkeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pubkey",
        abstract: "Write the raw HSS public key of a board's hashsig key or of a software key file.",
        discussion: ExitStatus.help(.success, .failed, .badInput, .unreachable, .timeout, .protocolViolation, .usage))

    @OptionGroup var board: HashSigBoardOptions

    @Option(name: .customLong("key"), help: ArgumentHelp("A software key file (required without --device or --socket).", valueName: "file"))
    var keyPath: String?

    @Option(name: .customLong("pubkey"), help: ArgumentHelp("Where to write it; - for standard output.", valueName: "file|-"))
    var publicKeyPath = "-"

    @Flag(help: "Write the board's DER SubjectPublicKeyInfo instead of the raw key.")
    var der = false

    @OptionGroup var output: OutputOptions

    /// `--json`: see docs/json.md.
    struct Output: Encodable {
        /// The key's identity, I:T1 in hex.
        var key: String
        var publicKey: String
        var der: Bool
    }

    func validate() throws {
        if output.json, publicKeyPath == "-" { throw ValidationError("--json prints the result on standard output: give --pubkey a file") }
        guard !board.isBoard else { return }
        _ = try softwareKeyPath()
        if der { throw ValidationError("--der is for a board's key (--device or --socket)") }
    }

    /// `--key`, which a software key needs.
    private func softwareKeyPath() throws -> String {
        guard let keyPath else { throw ValidationError.missing("--key <file>", unless: "--device or --socket for a board's key") }
        return keyPath
    }

    func run() async throws {
        try await HashSigIO.runAsync {
            if board.isBoard {
                try await board.withBoard { client, endpoint in
                    let key = try await board.key(on: client, endpoint: endpoint)
                    let spki = try await key.publicKey()
                    try? await key.close()
                    let publicKey = try HSS.PublicKey(boardDER: spki)
                    try HashSigIO.writeOutput(der ? spki : publicKey.bytes, to: publicKeyPath)
                    HashSigIO.printError("key \(KeyIdentity(publicKey))")
                    if output.json { try output.printJSON(Output(key: "\(KeyIdentity(publicKey))", publicKey: publicKeyPath, der: der)) }
                }
                return
            }
            let keyPath = try softwareKeyPath()
            let key: HSS.PrivateKey
            do {
                key = try HSS.PrivateKey(serializedRepresentation: try HashSigIO.read(keyPath, what: "key file"))
            } catch let failure as HashSigIO.Failure {
                throw failure
            } catch {
                throw HashSigIO.Failure.input("key file \(keyPath): \(error)")
            }
            try HashSigIO.writeOutput(key.publicKey.bytes, to: publicKeyPath)
            if output.json { try output.printJSON(Output(key: "\(KeyIdentity(key.publicKey))", publicKey: publicKeyPath, der: false)) }
        }
    }
}
