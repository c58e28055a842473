import ArgumentParser
import CryptechExitStatus
import Foundation
import HashSig
import HashSigHost
import SystemPackage

/// `cryptech hashsig keygen`: makes a software HSS key: a secret key file and the raw RFC 8554
/// public key.
struct HashSigKeygenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Generate a software HSS/LMS key.",
        discussion: """
            The key file holds the private key and its signing state (secret; created with mode \
            0600). Every level uses the same parameter sets, as the Alpha does. The top tree's \
            one-time keys derive from a random SEED (RFC 8554 Appendix A) unless \
            --random-top-keys is given, which stores every one-time key (2 MiB for H10/W4).
            """ + "\n\n" + ExitStatus.help(.success, .failed, .badInput, .unreachable, .timeout, .protocolViolation, .usage)
    )

    @Option(name: .customLong("key"), help: ArgumentHelp("The key file to create (required without --device or --socket).", valueName: "file"))
    var keyPath: String?

    @Option(name: .customLong("pubkey"), help: ArgumentHelp("Where to write the raw HSS public key.", valueName: "file"))
    var publicKeyPath: String

    @Option(help: "Number of levels L, 1 to 8.")
    var levels = 2

    @Option(help: "LMS tree height: h5, h10, h15, h20 or h25.")
    var lms: LMSHeightOption = .h10

    @Option(help: "LM-OTS Winternitz parameter: w1, w2, w4 or w8.")
    var lmots: LMOTSWidthOption = .w4

    @Flag(help: "Draw the top tree's one-time keys at random and store them all, instead of a SEED.")
    var randomTopKeys = false

    @Flag(help: "Replace an existing key file.")
    var force = false

    @OptionGroup var board: HashSigBoardOptions
    @OptionGroup var boardKeygen: HashSigBoardKeygenOptions
    @OptionGroup var output: OutputOptions

    /// `--json`: see docs/json.md.
    struct Output: Encodable {
        /// The key's identity, I:T1 in hex.
        var key: String
        var levels: Int
        /// The LMS and LM-OTS parameter sets, at every level.
        var lms: String
        var lmots: String
        /// 2^(h·L): how many signatures the key makes.
        var signatures: String
        var signatureLength: Int
        var publicKey: String
        /// A software key: its key file.
        var keyFile: String?
        /// A board's key: the board and the key's name there.
        var endpoint: String?
        var keyName: String?
        var exportable: Bool?
        /// Recorded in a share ledger (`--ledger`).
        var ledger: Registration?

        struct Registration: Encodable {
            var ledger: String
            var board: String
            var range: String
            var next: UInt32
        }
    }

    func validate() throws {
        guard HSS.levelRange.contains(levels) else { throw ValidationError("--levels must be 1 to 8") }
        if !board.isBoard { _ = try softwareKeyPath() }
    }

    /// `--key`, which a software key needs.
    private func softwareKeyPath() throws -> String {
        guard let keyPath else { throw ValidationError.missing("--key <file>", unless: "--device or --socket to generate the key on a board") }
        return keyPath
    }

    func run() async throws {
        if board.isBoard { return try await HashSigIO.runAsync { try await HashSigBoard.keygen(self) } }
        try HashSigIO.run {
            let keyPath = try softwareKeyPath()
            guard force || !FileManager.default.fileExists(atPath: keyPath) else {
                throw HashSigIO.Failure.usage("\(keyPath) exists; a key file is never overwritten without --force")
            }
            let parameters = LMS.Parameters(lms.type, lmots.type)
            let key: HSS.PrivateKey
            do {
                key = try HSS.PrivateKey.generate(
                    levels: Array(repeating: parameters, count: levels),
                    topKeys: randomTopKeys ? .random : .seed(LMS.Seed.random()))
            } catch {
                throw HashSigIO.Failure.failed("key generation failed: \(error)")
            }
            do throws(SoftwareKeyError) {
                try SoftwareKeyFile(path: keyPath).create(key, replacing: force)
            } catch {
                throw HashSigIO.Failure(error)
            }
            try HashSigIO.writeAtomically(key.publicKey.bytes, to: publicKeyPath, mode: FilePermissions(rawValue: 0o644))
            let bits = lms.type.height * levels
            if output.json {
                return try output.printJSON(Output(
                    key: "\(KeyIdentity(key.publicKey))", levels: levels, lms: "\(lms.type)", lmots: "\(lmots.type)",
                    signatures: "2^\(bits)", signatureLength: HSS.signatureLength(levels: key.levelParameters),
                    publicKey: publicKeyPath, keyFile: keyPath))
            }
            print("generated HSS key: L=\(levels), \(parameters) at every level, 2^\(bits) signatures "
                + "(\(HSS.signatureLength(levels: key.levelParameters)) bytes each)")
            print("key file \(keyPath) (secret), public key \(publicKeyPath)")
        }
    }
}

/// `--lms` values.
enum LMSHeightOption: String, CaseIterable, ExpressibleByArgument {
    case h5, h10, h15, h20, h25

    var type: LMSType {
        switch self {
        case .h5: .sha256M32H5
        case .h10: .sha256M32H10
        case .h15: .sha256M32H15
        case .h20: .sha256M32H20
        case .h25: .sha256M32H25
        }
    }
}

/// `--lmots` values.
enum LMOTSWidthOption: String, CaseIterable, ExpressibleByArgument {
    case w1, w2, w4, w8

    var type: LMOTSType {
        switch self {
        case .w1: .sha256N32W1
        case .w2: .sha256N32W2
        case .w4: .sha256N32W4
        case .w8: .sha256N32W8
        }
    }
}
