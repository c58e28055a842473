import ArgumentParser
import Foundation
import HalRPC
import HashSig
import HashSigHost

/// `--ledger` and `--key`: which ledger, and which of its keys (the only one by default).
struct LedgerOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "The share ledger: a JSON-lines file (created when absent), or etcd://HOST:PORT,…/PREFIX for one shared by several hosts.",
        valueName: "file|etcd-url"))
    var ledger: String

    @Option(help: ArgumentHelp("The key, as I:T1 in hex (default: the ledger's only key).", valueName: "id"))
    var key: String?

    @OptionGroup var etcd: EtcdOptions

    func open() async throws -> ShareLedger { try await etcd.open(ledger) }

    /// The key these options name in `ledger`.
    func keyIdentity(in ledger: ShareLedger) throws -> KeyIdentity {
        if let key {
            do { return try KeyIdentity(key) } catch { throw ValidationError("\(error)") }
        }
        let keys = ledger.keys
        guard keys.count == 1 else {
            throw ValidationError(keys.isEmpty ? "the ledger \(ledger.path) has no key yet: run 'cryptech share register'"
                                               : "the ledger holds \(keys.count) keys: name one with --key")
        }
        return keys[0]
    }
}

/// `--board NAME=DEVICE` (repeatable; `NAME=socket:PATH` for a muxd), the login for all of
/// them, and `--json`.
struct BoardOptions: ParsableArguments {
    @Option(name: .customLong("board"), help: ArgumentHelp(
        "A board and where it is: NAME=/dev/ttyUSB0 (direct) or NAME=socket:/tmp/.cryptech_muxd.rpc. Repeat per board.",
        valueName: "name=path"))
    var boards: [String] = []

    @Option(help: "Log in to every board as: normal or wheel.")
    var user: User = .normal

    @OptionGroup var pin: PINOptions

    @OptionGroup var wait: WaitOptions
    @OptionGroup var logging: LoggingOptions

    func validate() throws { _ = try endpoints() }

    /// The boards given, in order.
    func endpoints() throws -> [(BoardName, HSMEndpoint)] {
        try boards.map { text in
            guard let equals = text.firstIndex(of: "=") else { throw ValidationError("--board \(text): expected NAME=PATH") }
            let name: BoardName
            do { name = try BoardName(String(text[..<equals])) } catch { throw ValidationError("--board \(text): \(error)") }
            let target = String(text[text.index(after: equals)...])
            guard !target.isEmpty else { throw ValidationError("--board \(text): no path") }
            if target.hasPrefix("socket:") { return (name, .muxd(socketPath: String(target.dropFirst(7)))) }
            return (name, .serial(devicePath: target, speed: HSMEndpoint.defaultSpeed))
        }
    }

    /// Connects to and logs in on every board given. Boards that cannot be reached are
    /// returned in `unreachable` when `tolerant`, else the first failure is thrown.
    func connect(tolerant: Bool = false) async throws -> (links: [BoardLink], unreachable: [BoardName: String]) {
        let list = try endpoints()
        guard !list.isEmpty else { return ([], [:]) }
        let secret = try pin.read(prompt: "PIN for \(user) (all boards): ")
        var links: [BoardLink] = []
        var unreachable: [BoardName: String] = [:]
        for (name, endpoint) in list {
            let client = wait.client(endpoint, board: "\(name)", logging: logging)
            do {
                try await client.login(user: user, pin: secret)
                links.append(BoardLink(name: name, client: client))
            } catch {
                await client.close()
                guard tolerant else {
                    let hint = (error as? HSMClientError).flatMap { FailureHint.forClient($0, endpoint: endpoint, direct: "--board \(name)=/dev/ttyUSB0") }
                    throw ShareFailure(ShareFailure(error).status, "board \(name) (\(endpoint.path)): \(error)", hint: hint)
                }
                unreachable[name] = "\(error)"
            }
        }
        return (links, unreachable)
    }

    static func close(_ links: [BoardLink]) async {
        for link in links { await link.client.close() }
    }
}

/// The share request options shared by `plan` and `export`.
struct ShareRequestOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The board the leaves come from.", valueName: "name"))
    var from: String?

    @Option(help: ArgumentHelp("Exact leaf counts per board, e.g. A:768,B:256 (the source's count includes its used leaves).", valueName: "list"))
    var shares: String?

    @Option(help: ArgumentHelp("Weights per board, e.g. A:3,B:1.", valueName: "list"))
    var weights: String?

    @Option(help: ArgumentHelp("Equal shares among these boards, e.g. A,B,C,D.", valueName: "list"))
    var equal: String?

    /// Whether a request was given at all.
    var isGiven: Bool { from != nil || shares != nil || weights != nil || equal != nil }

    func validate() throws {
        guard isGiven else { return }
        guard [shares, weights, equal].compactMap({ $0 }).count == 1 else {
            throw ValidationError("give exactly one of --shares, --weights, --equal")
        }
        guard from != nil else { throw ValidationError("--from: which board the leaves come from") }
    }

    func source() throws -> BoardName {
        guard let from else { throw ValidationError("missing --from") }
        do { return try BoardName(from) } catch { throw ValidationError("--from: \(error)") }
    }

    func request() throws -> ShareRequest {
        do {
            if let shares { return .exact(try ShareRequest.parseAmounts(shares)) }
            if let weights { return .weights(try ShareRequest.parseAmounts(weights)) }
            return .equal(try ShareRequest.parseBoards(equal ?? ""))
        } catch {
            throw ValidationError("\(error)")
        }
    }
}
