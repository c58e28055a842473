import ArgumentParser

/// `cryptech hashsig`: RFC 8554 HSS/LMS signatures in software — verify any signature, and
/// generate and use software keys kept in a local key file.
///
/// Exit status for every subcommand: 0 success (`verify`: the signature is valid), 1 the
/// operation failed (`verify`: the signature is invalid; `sign`: the key is exhausted), 2 a usage
/// or input error (a missing option, an unreadable file, a malformed encoding).
struct HashSigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hashsig",
        abstract: "Verify RFC 8554 HSS/LMS signatures; make and use software hash-signature keys.",
        subcommands: [
            HashSigVerifyCommand.self,
            HashSigKeygenCommand.self,
            HashSigSignCommand.self,
            HashSigPubkeyCommand.self,
        ]
    )
}
