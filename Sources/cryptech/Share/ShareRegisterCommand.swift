import ArgumentParser
import HalRPC
import HashSig
import HashSigHost

/// `cryptech share register`: records a board's hashsig key in the ledger (usually right
/// after `cryptech hashsig keygen` on the board that will hand out the shares).
struct ShareRegisterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register",
        abstract: "Record a board's hashsig key and its range in the share ledger.")

    @Option(help: ArgumentHelp("The share ledger (created when absent).", valueName: "file"))
    var ledger: String

    @OptionGroup var boards: BoardOptions

    @Option(help: ArgumentHelp("The key's name (UUID) on the board (default: its only hashsig key).", valueName: "uuid"))
    var keyName: String?

    @Option(help: ArgumentHelp("A note: what the key signs.", valueName: "text"))
    var label: String?

    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await ShareFailure.run {
            let ledger = try ShareLedger(path: ledger)
            let (links, _) = try await boards.connect()
            defer { Task { await BoardOptions.close(links) } }
            guard links.count == 1, let link = links.first else { throw ValidationError("give exactly one --board") }
            let key: BoardHashsigKey
            if let keyName {
                guard let name = KeyName(uuidString: keyName) else { throw ValidationError("--key-name: not a UUID") }
                key = try await BoardHashsigKey.open(name, on: link)
            } else {
                var names: [KeyName] = []
                for try await name in link.client.matchKeys(type: .hashsigPrivate) { names.append(name) }
                guard names.count == 1 else {
                    throw ShareFailure(ShareFailure.failed, "board \(link.name) holds \(names.count) hashsig keys: name one with --key-name")
                }
                key = try await BoardHashsigKey.open(names[0], on: link)
            }
            let report = try await key.report()
            await key.close()
            guard let report, let range = report.range else {
                throw ShareFailure(ShareFailure.failed, "board \(link.name) does not report its range (no SX1); it cannot be registered")
            }
            let identity = KeyIdentity(key.publicKey)
            try ledger.append(.keyRegistered(KeyRegistration(
                publicKey: key.publicKey,
                board: link.name, keyName: key.name.description, range: range, next: report.next, label: label)), key: identity)
            if output.json {
                try output.printJSON(["key": identity.description, "board": link.name.rawValue, "keyName": key.name.description,
                                      "range": "\(range)", "next": "\(report.next)"])
            } else {
                print("registered key \(identity)\n  on board \(link.name) as \(key.name), range \(range), next index \(report.next)")
            }
        }
    }
}

