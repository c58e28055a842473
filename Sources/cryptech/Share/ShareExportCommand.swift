#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import CryptechExitStatus
import Foundation
import HashSigHost
import Synchronization

/// `cryptech share export`: carries out a share request between boards, or resumes an
/// interrupted one.
struct ShareExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export shares from one board to others and import them, recording every step in the ledger.",
        discussion: """
            Each transfer is recorded as planned (before the export request leaves the source), \
            exported (with the wrapped blob's digest), imported and verified. Run the same \
            command again after an interruption: it continues the unfinished plan from what the \
            ledger and the boards say. --resume continues every unfinished transfer.
            A source without SX1 (the stock firmware) can only halve its unused leaves: the \
            export then probes it (one signature) and plans exports by halving, also from boards \
            that received a share; a request that halving cannot meet exactly is refused with \
            the reachable plan unless --accept-reachable is given. Each export uses what its \
            source supports, and each destination without SX1 signs once to show where its share \
            starts.
            With an etcd ledger another host can carry on: 'share export --resume' there takes \
            the export lock once this run's lease has run out (--etcd-lock-ttl) and continues; \
            a run that lost its lock (paused or cut off) writes nothing more. \
            For tests, CRYPTECH_TEST_CRASH_AT=STEP[:N] kills this process (SIGKILL) at the Nth \
            time it reaches STEP (one of: \(ExportStep.allCases.map(\.rawValue).joined(separator: ", "))); \
            CRYPTECH_TEST_STOP_AT=STEP[:N] stops it there (SIGSTOP) until SIGCONT.
            """ + "\n\n" + ExitStatus.help(.success, .failed, .badInput, .unreachable, .timeout, .protocolViolation, .alarm, .usage))

    @OptionGroup var ledgerOptions: LedgerOptions
    @OptionGroup var request: ShareRequestOptions
    @OptionGroup var boards: BoardOptions
    @OptionGroup var output: OutputOptions

    @Flag(help: "Continue every unfinished transfer of the key instead of a new request.")
    var resume = false

    @Flag(help: "Carry out a request that an earlier plan already completed.")
    var again = false

    @Flag(help: "Skip the test signature on each destination.")
    var noTestSignature = false

    @Flag(help: "Keep the wrapped share files after verification (they are secret).")
    var keepBlobs = false

    @Flag(help: "Use the reference bisection (with a probe signature) even if the source knows SX1.")
    var legacy = false

    @Flag(help: "From a source without SX1: carry out the plan bisection can reach when it does not meet the request exactly (see 'share plan').")
    var acceptReachable = false

    func validate() throws {
        if resume == request.isGiven { throw ValidationError("give either a request (--from and --shares/--weights/--equal) or --resume") }
    }

    func run() async throws {
        try await ShareFailure.run {
            let ledger = try await ledgerOptions.open()
            let key = try ledgerOptions.keyIdentity(in: ledger)
            let (links, _) = try await boards.connect()
            let timer = ElapsedTimer(resume ? "resuming" : "exporting")
            defer {
                timer.stop()
                Task { await BoardOptions.close(links) }
            }
            var options = ShareExporter.Options()
            options.testSignature = !noTestSignature
            options.keepBlobs = keepBlobs
            options.forceLegacy = legacy
            options.acceptReachable = acceptReachable
            options.logger = boards.logging.logger("cryptech.share.export")
            let environment = ProcessInfo.processInfo.environment
            let injections = [CrashInjection(environment["CRYPTECH_TEST_CRASH_AT"], signal: SIGKILL),
                              CrashInjection(environment["CRYPTECH_TEST_STOP_AT"], signal: SIGSTOP)].compactMap { $0 }
            let phases = ExportPhaseTimes(timer: timer) { id in
                (try? ledger.state(of: key))?.transfers[id].map { ($0.source, $0.destination) }
            }
            options.stepHook = { step, id in
                timer.update("\(id): \(step.rawValue)")
                phases.reached(step, transfer: id)
                for injection in injections { injection.reached(step) }
            }
            let exporter = ShareExporter(ledger: ledger, key: key, boards: links, options: options)
            let outcomes: [TransferOutcome]
            do {
                outcomes = resume ? try await exporter.resume()
                                  : try await exporter.export(try request.request(), from: try request.source(), again: again)
            } catch {
                throw ShareFailure(error)
            }
            timer.stop()
            if output.json {
                for outcome in outcomes { try output.printJSON(outcome) }
                if outcomes.contains(where: { $0.state != .verified }) { throw ExitCode(.failed) }
                return
            }
            var table = TextTable("transfer", "from", "to", "range", "leaves", "state", "test q")
            for outcome in outcomes {
                table.add(outcome.transfer, outcome.source.rawValue, outcome.destination.rawValue, "\(outcome.range)",
                          "\(outcome.range.count)", outcome.state.rawValue, outcome.testSignatureIndex.map { "\($0)" } ?? "-")
            }
            print(table.render())
            for outcome in outcomes where outcome.state != .verified {
                print("\(outcome.transfer): \(outcome.state)\(outcome.note.map { ": \($0)" } ?? "")")
            }
            if outcomes.contains(where: { $0.state != .verified }) { throw ExitCode(.failed) }
        }
    }
}

/// `CRYPTECH_TEST_CRASH_AT=STEP[:N]`: SIGKILL this process the Nth time (default 1st) the
/// export reaches STEP, to test that every interruption is recoverable;
/// `CRYPTECH_TEST_STOP_AT=STEP[:N]`: SIGSTOP it there, to test a holder paused past its lease.
final class CrashInjection: Sendable {
    private let step: ExportStep
    private let occurrence: Int
    private let signal: Int32
    private let seen = Mutex(0)

    init?(_ text: String?, signal: Int32) {
        self.signal = signal
        guard let text, !text.isEmpty else { return nil }
        let parts = text.split(separator: ":")
        guard let step = ExportStep(rawValue: String(parts[0])) else { return nil }
        self.step = step
        occurrence = parts.count > 1 ? Int(parts[1]) ?? 1 : 1
    }

    func reached(_ step: ExportStep) {
        guard step == self.step else { return }
        let count = seen.withLock { count in
            count += 1
            return count
        }
        guard count == occurrence else { return }
        if signal == SIGSTOP {
            // A signal sent to the process may be taken by another thread, and this one run on
            // (into the next board call) before the stop lands: wait here for the SIGCONT.
            Glibc.signal(SIGCONT) { _ in CrashInjection.continued.store(true, ordering: .relaxed) }
            kill(getpid(), SIGSTOP)
            while !Self.continued.load(ordering: .relaxed) { usleep(1000) }
        } else {
            kill(getpid(), signal)
        }
    }

    /// Set by the SIGCONT handler (an atomic store is async-signal-safe).
    private static let continued = Atomic(false)
}
