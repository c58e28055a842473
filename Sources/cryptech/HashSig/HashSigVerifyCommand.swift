import ArgumentParser
import HashSig

/// `cryptech hashsig verify`: checks a raw RFC 8554 HSS signature against a raw HSS public key.
struct HashSigVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify an RFC 8554 HSS signature.",
        discussion: """
            The files hold the raw RFC 8554 encodings: the 60-byte HSS public key and the HSS \
            signature. Prints "valid" or "invalid: <reason>".
            Exit status: 0 valid, 1 invalid, 2 usage error or malformed input.
            """
    )

    @Option(name: .customLong("pubkey"), help: ArgumentHelp("The HSS public key file (required).", valueName: "file"))
    var publicKeyPath: String?

    @Option(name: .customLong("sig"), help: ArgumentHelp("The HSS signature file (required).", valueName: "file"))
    var signaturePath: String?

    @Option(name: .customLong("message"),
            help: ArgumentHelp("The signed message; - for standard input.", valueName: "file|-"))
    var messagePath = "-"

    func run() throws {
        try HashSigIO.run {
            guard let publicKeyPath else { throw HashSigIO.Failure.usage("missing --pubkey FILE") }
            guard let signaturePath else { throw HashSigIO.Failure.usage("missing --sig FILE") }
            guard [publicKeyPath, signaturePath, messagePath].filter({ $0 == "-" }).count <= 1 else {
                throw HashSigIO.Failure.usage("only one of --pubkey, --sig and --message can be standard input")
            }
            let publicKeyBytes = try HashSigIO.read(publicKeyPath, what: "public key")
            let signature = try HashSigIO.read(signaturePath, what: "signature")
            let message = try HashSigIO.read(messagePath, what: "message")
            let publicKey: HSS.PublicKey
            do {
                publicKey = try HSS.PublicKey(bytes: publicKeyBytes)
            } catch {
                throw HashSigIO.Failure.usage("public key \(publicKeyPath): \(error)")
            }
            let result: VerificationResult
            do {
                result = try publicKey.verify(signature: signature, for: message)
            } catch {
                throw HashSigIO.Failure.usage("signature \(signaturePath): \(error)")
            }
            switch result {
            case .valid:
                let indices = (try? HSS.Signature(bytes: signature).leafIndices) ?? []
                let list = indices.map(String.init).joined(separator: ",")
                print("valid (L=\(publicKey.levels), leaf indices q=\(list))")
            case .invalid(let reason):
                print("invalid: \(reason)")
                throw ExitCode(1)
            }
        }
    }
}
