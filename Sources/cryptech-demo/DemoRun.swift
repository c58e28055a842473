#if canImport(Glibc)
import CryptechHex
import Glibc
#endif
import EtcdClient
import Foundation
import HalRPC
import HashSig
import HashSigHost

/// What one demo run uses.
struct DemoSettings: Sendable {
    /// This host's boards: they sign, and receive the shares.
    var boards: [DemoBoard]
    /// A board at another site holding the key already in the ledger (the key's source); `nil`:
    /// the first of `boards` generates it.
    var source: DemoBoard?
    var ledgerDirectory: String
    /// The ledger's location (`etcd://…`); `nil`: a file in `ledgerDirectory`.
    var ledger: String?
    var site: String?
    var messages: Int
    var shares: [ShareRequest.BoardAmount]
    var lms: LMSTypeCode
    var pin: PIN
    var keepKeys: Bool
}

/// The demo: connect, generate, register, export, sign, verify, audit, report.
struct DemoRun {
    let settings: DemoSettings
    let clock = ContinuousClock()

    init(settings: DemoSettings) {
        self.settings = settings
    }

    var ledgerPath: String { settings.ledger ?? settings.ledgerDirectory + "/shares.jsonl" }
    var ledgerIsFile: Bool { !EtcdLocation.isLocation(ledgerPath) }
    var journalPath: String { settings.ledgerDirectory + "/signatures.jsonl" }
    var publicKeyPath: String { settings.ledgerDirectory + "/hashsig.pub" }

    /// Connects to every board, runs the story, and closes the links however it ends.
    func run() async throws -> DemoReport {
        try prepareDirectory()
        var links: [BoardLink] = []
        do {
            if let source = settings.source { links.append(try await connect(source)) }
            for board in settings.boards { links.append(try await connect(board)) }
            let report = try await share(links, own: settings.source == nil ? links : Array(links.dropFirst()))
            for link in links { await link.client.close() }
            return report
        } catch {
            for link in links { await link.client.close() }
            throw error
        }
    }

    /// Creates the ledger directory; refuses one that already holds a ledger (a second key in
    /// it would make every later `cryptech share` command ask which key).
    private func prepareDirectory() throws {
        if ledgerIsFile, FileManager.default.fileExists(atPath: ledgerPath) {
            throw DemoError("\(ledgerPath) exists: give a new --ledger-dir")
        }
        do {
            try FileManager.default.createDirectory(atPath: settings.ledgerDirectory, withIntermediateDirectories: true)
        } catch {
            throw DemoError("cannot create \(settings.ledgerDirectory): \(error.localizedDescription)")
        }
    }

    /// Opens a client and logs in. Through a muxd that is still opening the board's tty the
    /// first requests go unanswered: GET_VERSION is retried while it times out, for up to
    /// 30 s. A missing device or socket fails at once.
    private func connect(_ board: DemoBoard) async throws -> BoardLink {
        let client = HSMClient(endpoint: board.endpoint)
        do {
            let version = try await client.waitUntilAnswering()
            try await client.login(user: .normal, pin: settings.pin)
            say("board \(board.name): \(board.endpoint), RPC version \("0x" + Hex.digits(version, width: 8)), logged in")
            return BoardLink(name: board.name, client: client)
        } catch {
            await client.close()
            throw DemoError("board \(board.name) (\(board.endpoint)): \(error)")
        }
    }

    /// The story, one step per method (DemoRun+Steps.swift).
    /// - Parameters:
    ///   - links: the key's source first, then the boards that receive shares.
    ///   - own: this host's boards (all of `links`, or all but a source at another site).
    private func share(_ links: [BoardLink], own: [BoardLink]) async throws -> DemoReport {
        var timings = DemoReport.Timings()
        let (ledger, key) = settings.source == nil
            ? try await generateAndRegister(on: links[0], timings: &timings)
            : try await joinKey(in: try await openLedger())
        let (madeKEKEKs, method) = try await exportShares(ledger: ledger, key: key, links: links, timings: &timings)
        let state = try ledger.state(of: key)
        let signers = try await openSigners(state: state, links: own)
        try testHook()
        let signed = try await signThroughPools(signers, state: state, ledger: ledger, key: key, timings: &timings)
        let verified = verifyOnHost(signed, publicKey: state.publicKey, timings: &timings)
        guard verified == signed.count else { throw DemoError("\(signed.count - verified) signatures do not verify") }
        let auditor = try await audit(state: state)
        let boards = try await boardsNow(signers, signed: signed, ledger: ledger, key: key, links: own)
        try await finish(signers, madeKEKEKs: madeKEKEKs, links: own)
        return DemoReport(
            site: settings.site, sharedLedger: ledgerIsFile ? nil : try await sharedLedgerHead(ledger),
            key: key, generatedHere: settings.source == nil, parameters: state.leafCount == 32 ? "L=2, H5/W4" : "L=2, H10/W4", leafCount: state.leafCount,
            boards: boards, shareMethod: method, signatures: signed.count, verified: verified, audit: auditor, timings: timings,
            ledgerPath: ledgerPath, journalPath: journalPath, publicKeyPath: publicKeyPath, keysKept: settings.keepKeys)
    }

    /// `CRYPTECH_DEMO_STOP_AT=signing` holds the run before the first signature (so a test can
    /// interrupt it with everything running); `=fail` makes the run fail there.
    func testHook() throws {
        switch ProcessInfo.processInfo.environment["CRYPTECH_DEMO_STOP_AT"] {
        case "signing":
            say("holding before signing (CRYPTECH_DEMO_STOP_AT)")
            while true { sleep(3600) }
        case "fail":
            throw DemoError("failing before signing (CRYPTECH_DEMO_STOP_AT)")
        default:
            return
        }
    }
}

/// A progress line on standard output, written at once (scripts wait for these lines).
func say(_ line: String) {
    FileHandle.standardOutput.write(Data(("==> " + line + "\n").utf8))
}
