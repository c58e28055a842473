import HashSigHost
import Synchronization

/// How long each board took for its part of a transfer, as lines on stderr: "board A: export
/// T1 to B 1.2 s", "board B: import T1 0.8 s", "board B: verify T1 0.3 s" (the test signature
/// and range check). Fed by the exporter's step hook; a phase whose start this run did not see
/// (a resumed transfer) is not timed.
final class ExportPhaseTimes: Sendable {
    private let timer: ElapsedTimer
    /// Which boards a transfer goes between: the ledger's record of it.
    private let boards: @Sendable (String) -> (source: BoardName, destination: BoardName)?
    /// The start of each transfer's current phase.
    private let started = Mutex<[String: ContinuousClock.Instant]>([:])

    init(timer: ElapsedTimer, boards: @escaping @Sendable (String) -> (source: BoardName, destination: BoardName)?) {
        self.timer = timer
        self.boards = boards
    }

    /// The exporter reached `step` of `transfer`.
    func reached(_ step: ExportStep, transfer: String) {
        let now = ContinuousClock.now
        // A phase ends where the next begins: exporting -> exported -> imported -> verified.
        let start: ContinuousClock.Instant? = started.withLock { started in
            let start = started[transfer]
            switch step {
            case .exporting, .exported, .imported: started[transfer] = now
            case .verified: started[transfer] = nil
            default: return nil
            }
            return step == .exporting ? nil : start
        }
        guard let start, let route = boards(transfer) else { return }
        let (source, destination) = route
        switch step {
        case .exported: timer.lap("board \(source): export \(transfer) to \(destination)", since: start)
        case .imported: timer.lap("board \(destination): import \(transfer)", since: start)
        case .verified: timer.lap("board \(destination): verify \(transfer)", since: start)
        default: break
        }
    }
}
