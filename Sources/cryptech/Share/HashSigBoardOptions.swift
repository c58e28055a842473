import ArgumentParser
import HalRPC
import HashSigHost

/// The options that move a `cryptech hashsig` command from a software key file to a board:
/// `--socket` or `--device` (and `--speed`, `--timeout`), the login, and the key's name there.
struct HashSigBoardOptions: ParsableArguments {
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var pin: PINOptions

    @Option(help: "On a board: log in as normal or wheel.")
    var user: User = .normal

    @Option(help: ArgumentHelp("On a board: the key's name (UUID); default its only hashsig key.", valueName: "uuid"))
    var keyName: String?

    /// Whether a board was asked for (otherwise the command works on key files).
    var isBoard: Bool { connection.socket != nil || connection.device != nil || connection.speed != nil }

    /// Runs `body` with a logged-in client.
    func withBoard<T>(_ body: (HSMClient, HSMEndpoint) async throws -> T) async throws -> T {
        let secret = try pin.read(prompt: "PIN for \(user): ")
        return try await connection.withClient { client, endpoint in
            try await client.login(user: user, pin: secret)
            return try await body(client, endpoint)
        }
    }

    /// The hashsig key `--key-name` names, or the board's only one.
    func key(on client: HSMClient, endpoint: HSMEndpoint) async throws -> PKey {
        if let keyName {
            guard let name = KeyName(uuidString: keyName) else { throw ValidationError("--key-name: not a UUID") }
            return try await client.openKey(name: name)
        }
        return try await BoardHashsigKey.withListedNames(on: client) { names in
            guard names.count == 1 else {
                throw HashSigIO.Failure.usage("\(endpoint.path) holds \(names.count) hashsig keys: name one with --key-name")
            }
            return try await client.openKey(name: names[0])
        }
    }
}

/// `cryptech hashsig keygen` options that only apply on a board.
struct HashSigBoardKeygenOptions: ParsableArguments {
    @Flag(help: "On a board: make the key not exportable (no shares can ever leave it).")
    var notExportable = false

    @Option(help: ArgumentHelp("On a board: record the new key in this share ledger (a file, or etcd://HOST:PORT,…/PREFIX).", valueName: "file|etcd-url"))
    var ledger: String?

    @OptionGroup var etcd: EtcdOptions

    @Option(help: ArgumentHelp("On a board: the board's name in the ledger (default A).", valueName: "name"))
    var boardName: String?
}
