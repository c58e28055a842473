import HalRPC
import HashSig

// Exports from boards without SX1 (the reference firmware): the board halves its unused
// leaves, and the host learns where by a probe signature just before (design.md, "Two
// firmwares, one host"; docs/wire-protocol.md §8.7).
extension ShareExporter {
    /// Probes `source`, plans the request by bisection, and records the plan's first export
    /// as `planned` (carrying every step), then sends it. Refused when the plan does not meet
    /// the request exactly and ``Options-swift.struct/acceptReachable`` is off.
    func startBisection(_ request: ShareRequest, text: String, plan: String, from source: BoardHashsigKey) async throws(ShareExportError) {
        let board = source.link.name
        let state = try currentState()
        guard let holding = state.holdings[board] else { throw .plan(.unknownBoard(board, key: key)) }
        guard !holding.rangeEndUncertain else { throw .rangeEndUncertain(board: board) }
        let probe = try await probe(source, purpose: "plan \(plan)")
        let sourceState: ShareSource
        do {
            sourceState = try ShareSource(board: board, range: holding.range, next: probe.next)
        } catch {
            throw .needsPerson(transfer: plan, "board \(board) signed with q=\(probe.index), outside its recorded range \(holding.range)")
        }
        let bisection: BisectionPlan
        do {
            bisection = try BisectionPlanner.plan(source: sourceState, request: request, levels: state.publicKey.levels)
        } catch {
            throw .plan(error)
        }
        guard bisection.isExact || options.acceptReachable else { throw .reachablePlanNotAccepted(bisection) }
        try await startStep(0, of: bisection.steps, plan: plan, request: text, source: source, probe: probe)
    }

    /// Starts the first export of `plan` that has no transfer yet (the caller checked that
    /// the plan can go on: ``KeyLedgerState/hasStepsLeft(_:)``).
    func startNextStep(of plan: String) async throws(ShareExportError) {
        let state = try currentState()
        let transfers = state.orderedTransfers.filter { $0.plan == plan }
        guard let steps = state.bisectionPlans[plan], let request = transfers.first?.request else { return }
        let step = steps[transfers.count]
        let source = try await openHolding(step.source, state: state)
        try await closing(source) { () async throws(ShareExportError) in
            try await startStep(transfers.count, of: steps, plan: plan, request: request, source: source, probe: nil)
        }
    }

    /// Records step `index` as `planned` and sends it: with SX1 and the step's exact count when
    /// its source knows SX1 (each transfer uses what its source supports), else by bisection
    /// after a probe shows the split falls where the plan says. `probe`: one the caller just
    /// made on this source.
    private func startStep(_ index: Int, of steps: [BisectionPlan.Step], plan: String, request: String,
                           source: BoardHashsigKey, probe given: BoardHashsigKey.Probe?) async throws(ShareExportError) {
        let step = steps[index]
        let state = try currentState()
        let id = "T\(state.transferOrder.count + 1)"
        guard let holding = state.holdings[step.source], holding.range.end == step.range.end else {
            throw .bisectionPlanBroken(plan: plan, "board \(step.source) does not hold up to \(step.range.end) as the plan's export of \(step.range) needs")
        }
        let carried = index == 0 ? steps : nil
        if given == nil, !options.forceLegacy,
           let report = try await boardCall(step.source, { try await source.report() }), let range = report.range {
            _ = try await observe(step.source, report)
            guard range.end == step.range.end, report.next <= step.range.start else {
                throw .bisectionPlanBroken(plan: plan, "board \(step.source) reports \(range), next \(report.next), where the plan exports \(step.range)")
            }
            try await append(.planned(TransferPlanned(transfer: id, plan: plan, request: request, source: step.source,
                                                destination: step.destination, range: step.range, method: .sx1, bisection: carried)))
            options.stepHook?(.planned, plan)
            return
        }
        guard !holding.rangeEndUncertain else { throw .rangeEndUncertain(board: step.source) }
        let probe: BoardHashsigKey.Probe
        if let given { probe = given } else { probe = try await self.probe(source, purpose: "transfer \(id)") }
        let split = Self.bisect(next: probe.next, end: holding.range.end)
        guard split == step.range else {
            throw .bisectionPlanBroken(plan: plan, "board \(step.source)'s next index is now \(probe.next): halving gives \(split.map { "\($0)" } ?? "nothing") where the plan exports \(step.range)")
        }
        try await append(.planned(TransferPlanned(transfer: id, plan: plan, request: request, source: step.source,
                                            destination: step.destination, range: step.range, method: .legacyBisect,
                                            probeIndex: probe.index, bisection: carried)))
        options.stepHook?(.planned, plan)
        guard let transfer = try currentState().transfers[id] else { throw .ledger(.unknownTransfer(path: ledger.path, transfer: id)) }
        try await sendBisection(transfer, probe: probe)
    }

    /// planned → exporting → exported for a bisection. Nothing has been sent while the
    /// transfer is `planned`, so without a fresh `probe` from the caller one is made now: if
    /// the split has moved, the transfer is released (the source still holds all of it).
    func sendBisection(_ transfer: KeyLedgerState.Transfer, probe given: BoardHashsigKey.Probe?) async throws(ShareExportError) {
        let source = try await openHolding(transfer.source, state: try currentState())
        try await closing(source) { () async throws(ShareExportError) in
            guard let holding = try currentState().holdings[transfer.source] else { throw .plan(.unknownBoard(transfer.source, key: key)) }
            let probe: BoardHashsigKey.Probe
            if let given { probe = given } else { probe = try await self.probe(source, purpose: "transfer \(transfer.id)") }
            guard Self.bisect(next: probe.next, end: holding.range.end) == transfer.range else {
                try await append(.released(TransferReleased(
                    transfer: transfer.id, sourceRange: holding.range,
                    reason: "board \(transfer.source)'s next index moved to \(probe.next) before the export was sent; nothing left the board")))
                return
            }
            let (kekek, kekekName) = try await loadKEKEK(for: transfer)
            options.stepHook?(.kekekLoaded, transfer.id)
            try await append(.exporting(TransferExporting(transfer: transfer.id, sourceNext: probe.next, kekek: kekekName.description)))
            options.stepHook?(.exporting, transfer.id)
            let reply: RPC.PKeyExport.Reply
            try ensureLockHeld()
            do {
                reply = try await source.key.export(kekek: kekek)
            } catch {
                try? await kekek.delete()
                if error.mayHaveReachedBoard {
                    throw .outcomeUnknown(transfer: transfer.id, board: transfer.source, "\(error)")
                }
                if case .device(let status)? = error as? HSMClientError, Self.refusedBeforeSplitting.contains(status) {
                    try await append(.released(TransferReleased(transfer: transfer.id, sourceRange: holding.range,
                                                          reason: "board \(transfer.source) refused the export (\(status)) before halving")))
                    return
                }
                try await burnUnknownBisection(transfer, detail: "board \(transfer.source) refused the export (\(error)), possibly after halving")
                return
            }
            // The reply is the share's only copy until the blob is on disk: store it first.
            options.stepHook?(.exportReplied, transfer.id)
            let end = holding.range.end
            try await recordExport(transfer, WrappedShare(pkcs8: reply.pkcs8, kek: reply.kek), reportedByBoard: false,
                             note: "bisection: split at floor((\(probe.next) + \(end)) / 2) = \(transfer.range.start), next index from probe signature q=\(probe.index)")
            try? await kekek.delete()
        }
    }

    /// An interrupted bisection whose wrapped share never reached the host: firmware without
    /// SX1 cannot say whether it halved, so the share is given up either way (never handed
    /// out twice), and the source is marked as perhaps holding more than recorded.
    func burnUnknownBisection(_ transfer: KeyLedgerState.Transfer, detail: String? = nil) async throws(ShareExportError) {
        let why = detail ?? "the export of transfer \(transfer.id) was interrupted before its wrapped share was stored"
        try await append(.burned(RangeBurned(
            transfer: transfer.id, board: transfer.source, range: transfer.range,
            reason: "\(why); board \(transfer.source) has no SX1, so whether it halved cannot be told: \(transfer.range) is given up and \(transfer.source) may still hold it",
            sourceMayStillHold: true)))
        options.logger.info("share burned", metadata: ["share.transfer": "\(transfer.id)"])
    }

    /// Statuses the reference answers before it touches the key (docs/wire-protocol.md §4.3 PKEY_EXPORT
    /// check order; 48 from the split's own check).
    static let refusedBeforeSplitting: Set<HALError> = [
        .badArguments, .unsupportedKey, .keyNotFound, .forbidden, .rpcPacketOverflow, .hashsigKeyExhausted,
    ]

    /// The reference's split of `[next, end)`: the share is `[floor((next + end) / 2), end)`;
    /// `nil` when fewer than two leaves are left (the board answers 48).
    static func bisect(next: UInt32, end: UInt32) -> LeafRange? {
        guard next < end else { return nil }
        let mid = UInt32((UInt64(next) + UInt64(end)) / 2)
        return mid > next ? LeafRange(mid..<end) : nil
    }

    /// A probe signature on `source`, recorded as an observation.
    func probe(_ source: BoardHashsigKey, purpose: String) async throws(ShareExportError) -> BoardHashsigKey.Probe {
        let board = source.link.name
        let probe: BoardHashsigKey.Probe
        try ensureLockHeld()
        do {
            probe = try await source.probe(Array("cryptech share probe, \(purpose)".utf8), verification: options.verification)
        } catch let error as BoardHashsigKey.ProbeError {
            // A signature damaged on the link does not verify either (the protocol has no
            // checksum): probed again like a lost reply; only one that keeps failing stops.
            throw .linkFault(board, "\(error)")
        } catch let error as HSMClientError where error.isLostOrDamagedReply {
            throw .linkFault(board, "probe signature failed: \(error)")
        } catch {
            throw .board(board, "probe signature failed: \(error)")
        }
        _ = try await observe(board, BoardReport(next: probe.next, range: nil), probeIndex: probe.index)
        return probe
    }
}
