import ArgumentParser
import EtcdClient
import EtcdLedger
import HashSigHost
import Logging

/// How to reach an etcd ledger (`--ledger etcd://h1:2379,h2:2379,h3:2379/prefix`): TLS files
/// and an etcd user. The password never rides on the command line: it comes from an
/// environment variable, a file, or the terminal.
struct EtcdOptions: ParsableArguments {
    @Option(name: .customLong("etcd-ca"), help: ArgumentHelp(
        "For an etcd:// ledger: the CA certificate (PEM) the members are checked against; turns on TLS.", valueName: "file"))
    var caFile: String?

    @Option(name: .customLong("etcd-cert"), help: ArgumentHelp(
        "For an etcd:// ledger: a client certificate (PEM), for members that require one (with --etcd-key).", valueName: "file"))
    var certificateFile: String?

    @Option(name: .customLong("etcd-key"), help: ArgumentHelp("The client certificate's private key (PEM).", valueName: "file"))
    var keyFile: String?

    @Option(name: .customLong("etcd-user"), help: ArgumentHelp(
        "For an etcd:// ledger with authentication: the etcd user (password from --etcd-password-env, --etcd-password-file, or the terminal).",
        valueName: "name"))
    var user: String?

    @Option(name: .customLong("etcd-password-env"), help: ArgumentHelp("Read the etcd password from this environment variable.", valueName: "name"))
    var passwordEnv: String?

    @Option(name: .customLong("etcd-password-file"), help: ArgumentHelp(
        "Read the etcd password from the first line of this file ('-' for standard input).", valueName: "path"))
    var passwordFile: String?

    @Option(name: .customLong("etcd-lock-ttl"), help: ArgumentHelp(
        "For an etcd:// ledger: seconds the export lock outlives its holder's last renewal (a killed or cut-off exporter's lock frees after this; default 15).",
        valueName: "seconds"))
    var lockTTL: Int64 = EtcdLedgerStore.defaultLockTTL

    func validate() throws {
        guard (2...3600).contains(lockTTL) else { throw ValidationError("--etcd-lock-ttl: 2 to 3600 seconds") }
        if (certificateFile == nil) != (keyFile == nil) { throw ValidationError("give --etcd-cert and --etcd-key together") }
        if certificateFile != nil, caFile == nil { throw ValidationError("--etcd-cert needs --etcd-ca (TLS)") }
        if passwordEnv != nil, passwordFile != nil { throw ValidationError("give either --etcd-password-env or --etcd-password-file, not both") }
        if user == nil, passwordEnv != nil || passwordFile != nil { throw ValidationError("an etcd password needs --etcd-user") }
    }

    /// The store `ledger` names (a file path, or an etcd location with these options).
    func store(for ledger: String) throws -> any LedgerStore {
        try stores(for: [ledger])[0]
    }

    /// The stores `ledgers` name, for a command given several (`share ledger copy`): the
    /// options apply to every etcd location among them, and the password is read once.
    func stores(for ledgers: [String]) throws -> [any LedgerStore] {
        guard ledgers.contains(where: EtcdLocation.isLocation) else {
            if caFile != nil || user != nil {
                throw ValidationError("the --etcd-* options are for an etcd:// ledger, not the file \(ledgers.joined(separator: " or "))")
            }
            return ledgers.map { FileLedgerStore(path: $0) }
        }
        var configuration = EtcdConfiguration(endpoints: [])
        if let caFile { configuration.tls = .init(caFile: caFile, certificateFile: certificateFile, keyFile: keyFile) }
        if let user {
            let password = try readSecretLine(environment: passwordEnv, file: passwordFile, what: "the etcd password",
                                              prompt: "etcd password for \(user): ")
            configuration.credentials = .init(user: user, password: password)
        }
        // Logging is configured by then (LoggingOptions, validated with the command line).
        let logger = Logger(label: "cryptech.etcd")
        return try ledgers.map { try LedgerLocation.store(for: $0, etcd: configuration, lockTTL: lockTTL, logger: logger) }
    }

    /// Opens the ledger `ledger` names, reading all of it.
    func open(_ ledger: String) async throws -> ShareLedger {
        try await ShareLedger(store: store(for: ledger))
    }
}
