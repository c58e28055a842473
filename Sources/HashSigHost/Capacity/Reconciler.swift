import HalRPC

/// Compares what a board reports with the ledger, whenever a board is reached.
public enum Reconciler {
    /// The findings for `board`'s report against `state`; empty when they agree.
    public static func reconcile(_ report: BoardReport, board: BoardName, state: KeyLedgerState) -> [ReconciliationFinding] {
        guard let holding = state.holdings[board] else { return [] }
        var findings: [ReconciliationFinding] = []
        if holding.nextReported, report.next < holding.next {
            findings.append(.indexWentBackwards(board: board, recorded: holding.next, reported: report.next))
        }
        // The ledger's range, less what unfinished exports may already have taken off the top.
        var explained = false
        if let reported = report.range, reported != holding.range {
            var end = holding.range.end
            for transfer in state.unfinishedTransfers(from: board)
            where transfer.state == .planned || transfer.state == .exporting {
                guard transfer.range.end == end else { break }
                end = transfer.range.start
                if reported == LeafRange(holding.range.start..<max(end, holding.range.start)) {
                    findings.append(.unfinishedTransferShrankRange(board: board, transfer: transfer.id, reported: reported))
                    explained = true
                    break
                }
            }
            if !explained {
                findings.append(.rangeMismatch(board: board, ledger: holding.range, reported: reported))
            }
        }
        let share = explained ? report.range! : holding.range
        if report.next < share.start || report.next > share.end {
            findings.append(.indexOutsideShare(board: board, next: report.next, share: share))
        } else {
            for transfer in state.unfinishedTransfers(from: board)
            where (transfer.state == .planned || transfer.state == .exporting) && report.next > transfer.range.start {
                findings.append(.indexInReservedRange(board: board, next: report.next, transfer: transfer.id, range: transfer.range))
            }
        }
        return findings
    }

    /// What to write to the ledger after `board` reported `report`: an alarm for each alarm
    /// finding not recorded yet, and an observation when the board's next index is news (or a
    /// probe signature first stands in for its range attributes). Every place that reaches a
    /// board records the same way.
    /// - Returns: the events, and every alarm finding (recorded before or not).
    public static func events(for report: BoardReport, board: BoardName, state: KeyLedgerState,
                              probeIndex: UInt32? = nil) -> (events: [LedgerEvent], alarms: [ReconciliationFinding]) {
        let alarms = reconcile(report, board: board, state: state).filter(\.isAlarm)
        let known = Set(state.alarms.map(\.message))
        var events: [LedgerEvent] = alarms.filter { !known.contains($0.description) }.map {
            .alarm(LedgerAlarm(board: board, kind: $0.kind, message: $0.description))
        }
        let holding = state.holdings[board]
        if holding?.next != report.next || holding?.nextReported != true || (probeIndex != nil && holding?.reportsRange != false) {
            events.append(.observed(BoardObservation(board: board, range: report.range, next: report.next, probeIndex: probeIndex)))
        }
        return (events, alarms)
    }
}
