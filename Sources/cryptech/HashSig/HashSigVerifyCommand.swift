import ArgumentParser
import CryptechExitStatus
import HashSig

/// `cryptech hashsig verify`: checks a raw RFC 8554 HSS signature against a raw HSS public key.
struct HashSigVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify an RFC 8554 HSS signature.",
        discussion: """
            The files hold the raw RFC 8554 encodings: the \(HSS.PublicKey.length)-byte HSS public key and the HSS \
            signature. Each may be a file, a pipe or FIFO, a device such as /dev/stdin, or - for \
            standard input (one of them). A signature is read up to the longest one the key's \
            levels allow (\(HSS.maximumSignatureLength(levels: HSS.levelRange.upperBound)) bytes for L=8), the message up to \
            \(HashSigIO.fileLimit >> 30) GiB. Prints "valid" or "invalid: <reason>" (with --json, one \
            object; an invalid signature exits 1 either way).
            """ + "\n\n" + ExitStatus.help(.success, .failed, .badInput, .usage))

    @Option(name: .customLong("pubkey"), help: ArgumentHelp("The HSS public key file.", valueName: "file|-"))
    var publicKeyPath: String

    @Option(name: .customLong("sig"), help: ArgumentHelp("The HSS signature file.", valueName: "file|-"))
    var signaturePath: String

    @Option(name: .customLong("message"),
            help: ArgumentHelp("The signed message; - for standard input.", valueName: "file|-"))
    var messagePath = "-"

    @OptionGroup var output: OutputOptions
    @OptionGroup var logging: LoggingOptions

    /// `--json`: see docs/json.md. Printed for an invalid signature too (exit status 1).
    struct Output: Encodable {
        var valid: Bool
        /// L, from the public key.
        var levels: Int
        /// One leaf index q per level, top first (a valid signature only).
        var leafIndices: [UInt32]?
        /// Why the signature does not verify (an invalid one only).
        var reason: String?
    }

    func validate() throws {
        guard [publicKeyPath, signaturePath, messagePath].filter({ $0 == "-" }).count <= 1 else {
            throw ValidationError("only one of --pubkey, --sig and --message can be standard input")
        }
    }

    func run() throws {
        try HashSigIO.run {
            let publicKeyBytes = try Self.readEncoding(publicKeyPath, what: "public key", limit: HSS.PublicKey.length,
                                                       bound: "the length of an HSS public key")
            let publicKey: HSS.PublicKey
            do {
                publicKey = try HSS.PublicKey(bytes: publicKeyBytes)
            } catch {
                throw HashSigIO.Failure.input("public key \(publicKeyPath): \(error)")
            }
            let signature = try Self.readEncoding(signaturePath, what: "signature",
                                                  limit: HSS.maximumSignatureLength(levels: publicKey.levels),
                                                  bound: "the longest HSS signature under a key of \(publicKey.levels) levels")
            let message = try HashSigIO.read(messagePath, what: "message")
            let result: VerificationResult
            do {
                result = try publicKey.verify(signature: signature, for: message)
            } catch {
                throw HashSigIO.Failure.input("signature \(signaturePath): \(error)")
            }
            switch result {
            case .valid:
                let indices = (try? HSS.Signature(bytes: signature).leafIndices) ?? []
                if output.json {
                    try output.printJSON(Output(valid: true, levels: publicKey.levels, leafIndices: indices))
                } else {
                    print("valid (L=\(publicKey.levels), leaf indices q=\(indices.map(String.init).joined(separator: ",")))")
                }
            case .invalid(let reason):
                if output.json {
                    try output.printJSON(Output(valid: false, levels: publicKey.levels, reason: "\(reason)"))
                } else {
                    print("invalid: \(reason)")
                }
                throw ExitCode(.failed)
            }
        }
    }

    /// A key or signature: never empty (an empty file, /dev/null, is named as such rather than
    /// as a parse error), never longer than `limit`.
    private static func readEncoding(_ path: String, what: String, limit: Int, bound: String) throws -> [UInt8] {
        let bytes = try HashSigIO.read(path, what: what, limit: limit, bound: bound)
        guard !bytes.isEmpty else { throw HashSigIO.Failure.input("\(what) \(path == "-" ? "standard input" : path) is empty") }
        return bytes
    }
}
