import EtcdLedger
import HalRPC
import Testing
@testable import HashSigHost

extension KeyLedgerState {
    /// Nothing left to run: every transfer finished, and no bisection plan that can still go
    /// on with exports not yet started (one whose transfer burned or was released cannot).
    var isSettled: Bool {
        !transferOrder.isEmpty && orderedTransfers.allSatisfy(\.state.isFinished) && !planIDs.contains(where: hasStepsLeft)
    }
}

extension BoardFixture {
    /// The ledger as a new process would read it.
    func reopenedState() async throws -> KeyLedgerState {
        try await ShareLedger(store: LedgerLocation.store(for: ledger.path)).state(of: key)
    }

    /// Checks the ledger and the boards (taking the boards' ttys for the time, then freeing
    /// them): no overlapping ranges, no issued range lost, and the boards hold what the
    /// ledger says; `final`: every transfer ended as it should; `restarted`: the boards
    /// restarted since the last export (each then signs from a new lower tree).
    func checkInvariants(final: Bool, stock: Bool, restarted: Bool = false) async throws {
        for board in boards { try await board.reacquire() }
        do {
            try await checkLedgerAndBoards(final: final, stock: stock, restarted: restarted)
        } catch {
            for board in boards { await board.release() }
            throw error
        }
        for board in boards { await board.release() }
    }

    private func checkLedgerAndBoards(final: Bool, stock: Bool, restarted: Bool) async throws {
        let state = try await reopenedState()
        // Every leaf of the key is in exactly one place: held, in transit, or burned.
        var ranges = state.orderedHoldings.map(\.range)
        for transfer in state.orderedTransfers {
            switch transfer.state {
            case .exported: ranges.append(transfer.range)
            case .burned: ranges.append(transfer.range)
            case .planned, .exporting:
                // Still inside the source's range: reserved, not free.
                let source = try #require(state.holdings[transfer.source])
                #expect(source.range.contains(transfer.range))
            case .imported, .verified:
                // The destination holds the share, less what it passed on since (a chain of
                // bisections: B gives the top of its share to C).
                let held = try #require(state.holdings[transfer.destination])
                #expect(held.range.start == transfer.range.start && transfer.range.contains(held.range))
            case .released:
                #expect(state.holdings[transfer.source]?.range.contains(transfer.range) == true)
            }
        }
        ranges.sort()
        #expect(ranges.first?.start == 0)
        #expect(ranges.last?.end == 32)
        for (a, b) in zip(ranges, ranges.dropFirst()) {
            #expect(a.end == b.start, "ranges \(a) and \(b) overlap or leave a gap")
        }
        guard final else { return }
        if stock {
            // A burned or released transfer ends the plan early; otherwise both steps ran.
            #expect((1...2).contains(state.orderedTransfers.count))
            #expect(state.orderedTransfers.allSatisfy { $0.state == .verified || $0.state == .burned || $0.state == .released })
            #expect(state.orderedTransfers.allSatisfy { $0.method == .legacyBisect })
        } else {
            // Two-phase SX1: a share the source gave up is pending on it until its blob is
            // stored, so no kill burns one.
            #expect(state.orderedTransfers.count == 2)
            #expect(state.orderedTransfers.allSatisfy { $0.state == .verified })
        }
        // The boards hold exactly what the ledger says: by their range attributes, or (stock)
        // by a probe signature, which must fall inside the recorded range; a share's first
        // leaf signed its board's lower tree, so a destination's probe shows its start.
        for board in boards {
            let held = try await BoardHashsigKey.find(key, on: board.link)
            let holding = state.holdings[board.name]
            #expect((held != nil) == (holding != nil), "board \(board.name): holds \(held != nil), ledger \(holding != nil)")
            if let held, let holding {
                let (report, probe) = try await held.reportOrProbe(Array("crash test probe".utf8))
                if let probe {
                    #expect(holding.range.contains(probe.index), "board \(board.name) signs at \(probe.index) outside \(holding.range)")
                    // Unless the board restarted since, which starts a new lower tree.
                    if holding.transfer != nil, !restarted { #expect(probe.index == holding.range.start) }
                } else {
                    #expect(report.range == holding.range)
                }
                #expect(report.next >= holding.next)
                #expect(Reconciler.reconcile(report, board: board.name, state: state).isEmpty)
                await held.close()
            }
        }
    }
}
