import ArgumentParser
import CryptechExitStatus
import Foundation
import HalRPC
import HashSigHost

/// `cryptech-demo`: one hashsig key generated on the first board, shared with the others,
/// signing through the pool, audited. `tools/demo` starts the software Alphas and the muxd
/// and runs this against them (or against real boards).
@main
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cryptech-demo",
        abstract: "Share one hashsig key across boards, sign through the pool, verify and audit.",
        discussion: """
            Generates an exportable hashsig key (L=2, H10/W4 by default) on the first board, \
            records it in a share ledger, exports exact shares to the other boards (SX1), signs \
            --messages messages through the signer pool, verifies every signature on the host, \
            audits the pool's journal against the ledger, and prints a report. The ledger and \
            the journal stay in --ledger-dir. Run it through tools/demo, which starts software \
            Alphas and a muxd for it. A step that fails is a failure.

            Several sites (tools/demo --sites 2): each site's host runs it over its own boards \
            with one --ledger etcd://… they share. The first site generates and registers the \
            key; a later one names the board holding it with --source, exports its --shares \
            from there to its own boards, and signs through a pool of its own boards only.
            """ + "\n\n" + ExitStatus.help(.success, .failed, .usage))

    @Option(name: .customLong("board"), help: ArgumentHelp(
        "A board: NAME=/dev/ttyUSB0 (direct) or NAME=socket:PATH (a muxd socket). Repeat; the first one generates the key (unless --source).",
        valueName: "name=path"))
    var boardSpecs: [String] = []

    @Option(help: ArgumentHelp(
        "A board at another site that holds the key already registered in --ledger: this run exports shares from it to its own --board boards instead of generating a key.",
        valueName: "name=path"))
    var source: String?

    @Option(help: ArgumentHelp(
        "Where the signature journal and public key go, and the share ledger unless --ledger names one (created; must not hold a ledger yet).",
        valueName: "dir"))
    var ledgerDir: String

    @Option(help: ArgumentHelp(
        "The share ledger: a file, or etcd://HOST:PORT,…/PREFIX for one shared by several hosts (default: shares.jsonl in --ledger-dir).",
        valueName: "file|etcd-url"))
    var ledger: String?

    @Option(help: ArgumentHelp("The name of this host's site, shown in the report (tools/demo --sites 2).", valueName: "name"))
    var site: String?

    @Option(help: "How many messages to sign through the pool.")
    var messages = 300

    @Option(help: ArgumentHelp(
        "Exact leaves per board, e.g. A:512,B:320,C:192 (default: unequal shares, the first board keeping the most).",
        valueName: "list"))
    var shares: String?

    @Option(help: ArgumentHelp("Tree height of both levels: h5 or h10.", valueName: "height"))
    var lms: TreeHeight = .h10

    @Option(help: ArgumentHelp("Read the user PIN of every board from this environment variable.", valueName: "name"))
    var pinEnv = "CRYPTECH_PIN"

    @Flag(help: "Leave the demo's keys on the boards (by default they are deleted at the end; the ledger stays).")
    var keepKeys = false

    enum TreeHeight: String, ExpressibleByArgument, CaseIterable {
        case h5, h10
        var code: LMSTypeCode { self == .h5 ? .sha256N32H5 : .sha256N32H10 }
        var leafCount: UInt32 { self == .h5 ? 32 : 1024 }
    }

    func validate() throws {
        guard boardSpecs.count >= (source == nil ? 2 : 1) else {
            throw ValidationError("give at least two --board (the first generates the key), or --source and one --board or more")
        }
        guard messages >= 1 else { throw ValidationError("--messages must be at least 1") }
        _ = try boards()
        _ = try shareRequest()
        guard source == nil || shares != nil else { throw ValidationError("with --source, give --shares (the leaves each of this site's boards takes)") }
    }

    /// The boards given, in order (--source apart).
    func boards() throws -> [DemoBoard] {
        var seen: Set<BoardName> = try sourceBoard().map { [$0.name] } ?? []
        return try boardSpecs.map { spec in
            let board = try DemoBoard(spec: spec)
            guard seen.insert(board.name).inserted else { throw ValidationError("--board \(spec): \(board.name) is given twice") }
            return board
        }
    }

    /// The board at another site that holds the key, with `--source`.
    func sourceBoard() throws -> DemoBoard? {
        try source.map { spec in
            do { return try DemoBoard(spec: spec) } catch { throw ValidationError("--source: \(error)") }
        }
    }

    /// The share request: `--shares`, or the default unequal split.
    func shareRequest() throws -> [ShareRequest.BoardAmount] {
        let names = try boards().map(\.name)
        if let shares {
            do { return try ShareRequest.parseAmounts(shares) } catch { throw ValidationError("--shares: \(error)") }
        }
        return DemoPlan.defaultShares(boards: names, leafCount: lms.leafCount)
    }

    func run() async throws {
        guard let text = ProcessInfo.processInfo.environment[pinEnv], !text.isEmpty else {
            throw ValidationError("set the boards' user PIN in $\(pinEnv) (or name another variable with --pin-env)")
        }
        let settings = DemoSettings(
            boards: try boards(), source: try sourceBoard(), ledgerDirectory: ledgerDir, ledger: ledger, site: site, messages: messages, shares: try shareRequest(),
            lms: lms.code, pin: PIN(text), keepKeys: keepKeys)
        do {
            let report = try await DemoRun(settings: settings).run()
            FileHandle.standardOutput.write(Data((report.render() + "\n").utf8))
        } catch {
            FileHandle.standardError.write(Data("cryptech-demo: \(error)\n".utf8))
            throw ExitCode(.failed)
        }
    }
}
