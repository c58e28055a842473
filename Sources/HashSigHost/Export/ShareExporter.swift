import HalRPC
import HashSig
import Logging

/// Moves shares of one hashsig key between boards, following the ledger's state machine
/// (design.md, "Share ledger"): `planned` is on disk before the export request leaves,
/// `exported` records the wrapped blob's digest, `imported` the destination's key, `verified`
/// that the destination reports the same public key (and signs inside its share).
///
/// Every step is resumable: a run killed anywhere continues from what the ledger and the
/// boards say. What it never does: send an export whose outcome is unknown without first
/// asking the source whether it happened; import a blob whose digest is recorded as imported;
/// return a planned range to "free" unless the source itself reports still holding it.
public struct ShareExporter: Sendable {
    /// How an export run behaves; the defaults are the safe ones.
    public struct Options: Sendable {
        /// Make one signature on the destination and check its index is inside the share.
        public var testSignature = true
        /// Keep blob files after verification (they are secret; the default deletes them).
        public var keepBlobs = false
        /// Modulus size of a new KEKEK.
        public var kekekBits = 2048
        /// Flags of the imported key (exportable, so it can pass leaves on again).
        public var importFlags: KeyFlags = [.digitalSignature, .token, .exportable]
        /// Export without SX1 even when the source knows it (the reference bisection, with a
        /// probe signature), for testing the legacy path.
        public var forceLegacy = false
        /// Carry out a bisection plan (a source without SX1) that does not meet the request
        /// exactly; without it such a request is refused with the reachable plan.
        public var acceptReachable = false
        /// How the test signature and probe signatures are verified.
        public var verification: VerificationPolicy = .software
        /// Called at each ``ExportStep`` with the transfer id (or the plan id for `.planned`).
        public var stepHook: (@Sendable (ExportStep, String) -> Void)?
        /// Where the run logs its steps; silent unless the caller gives a logger.
        public var logger = Logger(label: "cryptech.hashsighost", factory: { _ in SwiftLogNoOpLogHandler() })

        /// The defaults: a test signature, blobs deleted, 2048-bit KEKEKs, SX1 when the source has it.
        public init() {}
    }

    /// The share ledger every step is recorded in before (or right after) it happens.
    public let ledger: ShareLedger
    /// The key whose shares move.
    public let key: KeyIdentity
    /// The boards this run may reach, by name.
    public let boards: [BoardName: BoardLink]
    /// How the run behaves.
    public let options: Options
    /// Where wrapped shares wait between `exported` and `verified`: the ledger store's.
    public let blobs: any ShareBlobStore

    /// - Parameters:
    ///   - ledger: the share ledger.
    ///   - key: the key whose shares move.
    ///   - boards: the boards this run may reach.
    ///   - options: test signatures, blob keeping, the KEKEK size, the imported key's flags.
    public init(ledger: ShareLedger, key: KeyIdentity, boards: [BoardLink], options: Options = Options()) {
        self.ledger = ledger
        self.key = key
        self.boards = Dictionary(boards.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.options = options
        blobs = ledger.store.blobs
    }

    /// The text a plan's `request` field holds: the source and the request.
    public static func requestText(_ request: ShareRequest, from source: BoardName) -> String {
        "from \(source): \(request)"
    }

    /// Plans `request` from `source` and carries it out; or, if this same request's plan is
    /// unfinished, continues it.
    /// - Parameters:
    ///   - request: which boards get how many leaves.
    ///   - source: the board whose leaves are given away.
    ///   - again: carry out a request that an earlier plan already completed.
    /// - Returns: the plan's transfers.
    /// - Throws: ``ShareExportError``.
    public func export(_ request: ShareRequest, from source: BoardName, again: Bool = false) async throws(ShareExportError) -> [TransferOutcome] {
        try await underExportLock { () async throws(ShareExportError) in try await exportLocked(request, from: source, again: again) }
    }

    private func exportLocked(_ request: ShareRequest, from source: BoardName, again: Bool) async throws(ShareExportError) -> [TransferOutcome] {
        let text = Self.requestText(request, from: source)
        var state = try currentState()
        let unfinished = state.orderedTransfers.filter { !$0.state.isFinished }
        if let first = unfinished.first {
            guard unfinished.allSatisfy({ $0.plan == first.plan }), first.request == text else {
                throw .unfinished(plan: first.plan, request: first.request, transfers: unfinished.map(\.id))
            }
            options.logger.info("resuming unfinished plan", metadata: ["share.plan": "\(first.plan)"])
            return try await drive(plan: first.plan)
        }
        // A bisection plan of this request with exports still to run goes on, or says why not.
        if !again, let plan = state.orderedTransfers.last(where: { $0.request == text })?.plan {
            if state.hasStepsLeft(plan) { return try await drive(plan: plan) }
            if let ended = state.endedEarly(plan) {
                throw .bisectionPlanBroken(plan: plan, "transfer \(ended.id) \(ended.source) -> \(ended.destination) \(ended.range) was \(ended.state)")
            }
        }
        if !again, let last = state.orderedTransfers.last, last.request == text {
            throw .alreadyDone(plan: last.plan, request: text)
        }

        let sourceKey = try await openHolding(source, state: state)
        return try await closing(sourceKey) { () async throws(ShareExportError) in
            let report = try await boardCall(source) { try await sourceKey.report() }
            if let report { state = try await observe(source, report) }
            let planID = "P\(state.planIDs.count + 1)"
            guard let report, let range = report.range, !options.forceLegacy else {
                // No SX1: the source can only halve.
                try await startBisection(request, text: text, plan: planID, from: sourceKey)
                return try await drive(plan: planID)
            }
            let plan: SharePlan
            do {
                plan = try SharePlanner.plan(source: try ShareSource(board: source, range: range, next: report.next), request: request)
            } catch let error as SharePlanError {
                throw .plan(error)
            } catch {
                throw .needsPerson(transfer: planID, "board \(source) reports next index \(report.next) outside \(range)")
            }
            var next = state.transferOrder.count
            let events: [LedgerEvent] = plan.transfers.map { transfer in
                next += 1
                return .planned(TransferPlanned(transfer: "T\(next)", plan: planID, request: text, source: source,
                                                destination: transfer.destination, range: transfer.range, method: .sx1))
            }
            try await append(events)
            options.stepHook?(.planned, planID)
            return try await drive(plan: planID)
        }
    }

    /// Continues every unfinished transfer of the key, in the order they were planned.
    /// - Throws: ``ShareExportError``.
    public func resume() async throws(ShareExportError) -> [TransferOutcome] {
        try await underExportLock { () async throws(ShareExportError) in
            let state = try currentState()
            let plans = state.orderedTransfers.filter { !$0.state.isFinished || state.hasStepsLeft($0.plan) }.map(\.plan)
            var outcomes: [TransferOutcome] = []
            var seen: Set<String> = []
            for plan in plans where seen.insert(plan).inserted {
                outcomes += try await drive(plan: plan)
            }
            return outcomes
        }
    }

    /// Runs `body` holding the ledger's export lock, on the ledger as it is now (read after the
    /// lock is taken), and releases the lock whatever happens.
    func underExportLock<T>(_ body: () async throws(ShareExportError) -> T) async throws(ShareExportError) -> T {
        try await stored { () async throws(LedgerError) in try await ledger.lockForExport() }
        let result: Result<T, ShareExportError>
        do throws(ShareExportError) {
            try await stored { () async throws(LedgerError) in try await ledger.refresh() }
            result = .success(try await body())
        } catch {
            result = .failure(error)
        }
        await ledger.releaseExportLock()
        return try result.get()
    }

    // MARK: - The state machine

    /// Runs the transfers of `plan` to the end, in order; a bisection plan's next export
    /// starts only when the one before it is finished (its source may be that one's
    /// destination).
    func drive(plan: String) async throws(ShareExportError) -> [TransferOutcome] {
        var stepRecoveries = 0
        while true {
            for id in try currentState().orderedTransfers.filter({ $0.plan == plan }).map(\.id) {
                try await drive(transfer: id)
            }
            guard try currentState().hasStepsLeft(plan) else { break }
            do {
                try await startNextStep(of: plan)
            } catch let error where error.linkFault != nil && stepRecoveries < Self.recoveriesPerTransfer {
                // The step's transfer, if recorded, is driven on from the ledger like any other.
                stepRecoveries += 1
                options.logger.notice("no proper answer; finding out from the boards what happened", metadata: ["share.reason": "\(error)"])
            }
        }
        let state = try currentState()
        return state.orderedTransfers.filter { $0.plan == plan }.map(TransferOutcome.init)
    }

    /// How many times one run finds out from the boards what happened after a request got no
    /// proper answer (lost or damaged reply), instead of stopping for a `--resume`: the same
    /// recovery a new run would do, from what the ledger says.
    static let recoveriesPerTransfer = 3

    func drive(transfer id: String) async throws(ShareExportError) {
        var recoveries = 0
        while true {
            guard let transfer = try currentState().transfers[id] else {
                throw .ledger(.unknownTransfer(path: ledger.path, transfer: id))
            }
            do {
                try await step(transfer)
                if transfer.state == .verified || transfer.state == .burned || transfer.state == .released { return }
            } catch let error where error.linkFault != nil && recoveries < Self.recoveriesPerTransfer {
                recoveries += 1
                options.logger.notice("no proper answer; finding out from the boards what happened", metadata: [
                    "share.transfer": "\(id)", "share.reason": "\(error)",
                ])
            }
        }
    }

    /// Takes `transfer` one step on from its recorded state.
    private func step(_ transfer: KeyLedgerState.Transfer) async throws(ShareExportError) {
        let id = transfer.id
        switch transfer.state {
        case .planned where transfer.method == .legacyBisect: try await sendBisection(transfer, probe: nil)
        case .planned: try await sendExport(transfer)
        case .exporting: try await recoverExporting(transfer)
        case .exported: try await importShare(transfer)
        case .imported:
            // Only now: until the destination has unwrapped the blob, a blob damaged on the
            // way can still be wrapped again from the pending share.
            if transfer.method == .sx1 { try await confirmPendingShare(of: transfer) }
            try await verify(transfer)
        case .verified:
            // Interrupted between `verified` and removing the blob: remove it now.
            if !options.keepBlobs {
                try await stored { () async throws(LedgerError) in try await blobs.remove(key: key, transfer: id) }
            }
        case .burned, .released: break
        }
    }

    /// planned → exporting → exported (or released when the board refuses and still holds it all).
    private func sendExport(_ transfer: KeyLedgerState.Transfer) async throws(ShareExportError) {
        let state = try currentState()
        let source = try await openHolding(transfer.source, state: state)
        return try await closing(source) { () async throws(ShareExportError) in
            guard let report = try await boardCall(transfer.source, { try await source.report() }), let range = report.range else {
                throw .needsPerson(transfer: transfer.id, "board \(transfer.source) no longer reports its range (SX1)")
            }
            _ = try await observe(transfer.source, report)
            guard range.end == transfer.range.end, report.next <= transfer.range.start else {
                throw .rangeMismatch(transfer: transfer.id, board: transfer.source, planned: transfer.range, reported: range)
            }
            try await settlePendingShare(on: source, before: transfer)
            let (kekek, kekekName) = try await loadKEKEK(for: transfer)
            options.stepHook?(.kekekLoaded, transfer.id)
            try await append(.exporting(TransferExporting(transfer: transfer.id, sourceRange: range, sourceNext: report.next,
                                                    kekek: kekekName.description)))
            options.stepHook?(.exporting, transfer.id)
            let reply: RPC.PKeyExport.Reply
            try ensureLockHeld()
            do {
                reply = try await source.key.export(kekek: kekek, shareCount: transfer.range.count)
            } catch {
                try? await kekek.delete()
                if error.mayHaveReachedBoard {
                    throw .outcomeUnknown(transfer: transfer.id, board: transfer.source, "\(error)")
                }
                // The board answered with an error. SX1 changes nothing then; make sure, and give
                // the leaves back to the source only if it still reports them all.
                if let after = try? await source.report(), let afterRange = after.range, afterRange == range {
                    try await append(.released(TransferReleased(transfer: transfer.id, sourceRange: afterRange,
                                                          reason: "board \(transfer.source) refused the export: \(error)")))
                    return
                }
                throw .needsPerson(transfer: transfer.id, "board \(transfer.source) refused the export (\(error)) and its range could not be confirmed unchanged")
            }
            // The source has given the share up: until the blob is on disk the reply in memory is
            // its only copy, so nothing (not even removing the loaded KEKEK) comes before storing it.
            options.stepHook?(.exportReplied, transfer.id)
            try await checkShareRange(reply, of: transfer, kekek: kekek)
            try await recordExport(transfer, WrappedShare(pkcs8: reply.pkcs8, kek: reply.kek), reportedByBoard: true, note: nil)
            try? await kekek.delete()
        }
    }

    /// An SX1 export reply must carry the planned range; anything else raises an alarm.
    func checkShareRange(_ reply: RPC.PKeyExport.Reply, of transfer: KeyLedgerState.Transfer,
                         kekek: PKey) async throws(ShareExportError) {
        guard reply.shareRange == transfer.range else {
            let reported = reply.shareRange
            try? await kekek.delete()
            try await append(.alarm(LedgerAlarm(board: transfer.source, transfer: transfer.id, kind: "export-range-mismatch",
                                          message: "board \(transfer.source) exported \(reported.map { "\($0)" } ?? "an unreported range") for transfer \(transfer.id), planned \(transfer.range)")))
            throw .rangeMismatch(transfer: transfer.id, board: transfer.source, planned: transfer.range, reported: reported)
        }
    }

    func recordExport(_ transfer: KeyLedgerState.Transfer, _ share: WrappedShare, reportedByBoard: Bool,
                      note: String?) async throws(ShareExportError) {
        try await stored { () async throws(LedgerError) in try await blobs.store(share, key: key, transfer: transfer.id) }
        options.stepHook?(.blobStored, transfer.id)
        try await append(.exported(TransferExported(transfer: transfer.id, blobDigest: share.digest, share: transfer.range,
                                              reportedByBoard: reportedByBoard, note: note)))
        options.stepHook?(.exported, transfer.id)
        options.logger.info("share exported", metadata: ["share.transfer": "\(transfer.id)", "share.range": "\(transfer.range)"])
    }

    /// exporting after an interruption: ask the source what happened.
    private func recoverExporting(_ transfer: KeyLedgerState.Transfer) async throws(ShareExportError) {
        if let share = try await stored({ () async throws(LedgerError) in try await blobs.load(key: key, transfer: transfer.id) }) {
            // The reply came back and was checked before the blob was stored.
            try await append(.exported(TransferExported(transfer: transfer.id, blobDigest: share.digest, share: transfer.range,
                                                  reportedByBoard: transfer.method == .sx1,
                                                  note: "recorded after an interruption, from the stored blob")))
            return
        }
        guard transfer.method == .sx1 else {
            try await burnUnknownBisection(transfer)
            return
        }
        let source = try await openHolding(transfer.source, state: try currentState())
        return try await closing(source) { () async throws(ShareExportError) in
            guard let report = try await boardCall(transfer.source, { try await source.report() }), let range = report.range else {
                throw .needsPerson(transfer: transfer.id, "board \(transfer.source) no longer reports its range (SX1)")
            }
            if range.end == transfer.range.end, report.next <= transfer.range.start {
                // The request never took effect: send it (again) under a new `exporting` record.
                try await sendExport(transfer)
            } else if range.end == transfer.range.start {
                // Two-phase SX1: the board still holds the share pending; the reply was lost.
                if try await boardCall(transfer.source, { try await source.pendingShare() }) == .share(transfer.range) {
                    try await exportAgain(transfer, from: source)
                    return
                }
                try await append(.burned(RangeBurned(transfer: transfer.id, board: transfer.source, range: transfer.range,
                                               reason: "board \(transfer.source) exported the share but the host never stored the wrapped blob (interrupted between the export reply and writing it), and the board does not hold it pending")))
                options.logger.info("share burned", metadata: ["share.transfer": "\(transfer.id)"])
            } else {
                throw .rangeMismatch(transfer: transfer.id, board: transfer.source, planned: transfer.range, reported: range)
            }
        }
    }

    /// exported → imported.
    private func importShare(_ transfer: KeyLedgerState.Transfer) async throws(ShareExportError) {
        let destination = try link(transfer.destination)
        // Interrupted after the import took effect? Then the destination already holds the key.
        if let held = try await boardCall(transfer.destination, { try await BoardHashsigKey.find(key, on: destination) }) {
            return try await closing(held) { () async throws(ShareExportError) in
                let report = try await boardCall(transfer.destination) { try await held.report() }
                guard report == nil || report?.range == transfer.range else {
                    throw .rangeMismatch(transfer: transfer.id, board: transfer.destination, planned: transfer.range, reported: report?.range)
                }
                try await append(.imported(TransferImported(transfer: transfer.id, keyName: held.name.description,
                                                      blobDigest: transfer.blobDigest ?? .zero)))
                return
            }
        }
        guard let share = try await stored({ () async throws(LedgerError) in try await blobs.load(key: key, transfer: transfer.id) }) else {
            try await append(.burned(RangeBurned(transfer: transfer.id, board: transfer.source, range: transfer.range,
                                           reason: "the wrapped share of transfer \(transfer.id) is gone from \(blobs.location(key: key, transfer: transfer.id)) and board \(transfer.destination) does not hold the key")))
            return
        }
        if case .blobDamaged(let status) = try await importBlob(share, transfer: transfer) {
            try await replaceDamagedBlob(transfer, status: status)
        }
    }

    /// The destination could not unwrap the blob (`status`: a bad integrity value, length or
    /// encoding): its bytes were damaged on the way from the source, where the protocol has no
    /// checksum to see it. A source that still holds the share pending (SX1 two-phase) wraps it
    /// again; otherwise the share is gone, and the ledger says so.
    private func replaceDamagedBlob(_ transfer: KeyLedgerState.Transfer, status: HALError) async throws(ShareExportError) {
        let reason = "board \(transfer.destination) could not unwrap the blob, damaged on the way from board \(transfer.source): it answered \(status.name ?? "\(status)")"
        if transfer.method == .sx1 {
            let source = try await openHolding(transfer.source, state: try currentState())
            let wrappedAgain = try await closing(source) { () async throws(ShareExportError) -> Bool in
                guard try await boardCall(transfer.source, { try await source.pendingShare() }) == .share(transfer.range) else { return false }
                options.logger.notice("wrapped share damaged on the way; asking the source to wrap it again", metadata: [
                    "share.transfer": "\(transfer.id)", "share.board": "\(transfer.source)",
                ])
                try await stored { () async throws(LedgerError) in try await blobs.remove(key: key, transfer: transfer.id) }
                try await exportAgain(transfer, from: source, note: "wrapped again by board \(transfer.source) from its pending share: \(reason)")
                return true
            }
            if wrappedAgain { return }
        }
        options.logger.warning("share burned", metadata: ["share.transfer": "\(transfer.id)", "share.reason": "\(reason)"])
        try await append(.burned(RangeBurned(transfer: transfer.id, board: transfer.source, range: transfer.range, reason: reason)))
    }

    /// Imports `share` for `transfer` on its destination, refusing a blob that is not the
    /// transfer's or that the ledger records as imported.
    private func importBlob(_ share: WrappedShare, transfer: KeyLedgerState.Transfer) async throws(ShareExportError) -> ImportResult {
        let state = try currentState()
        let digest = share.digest
        if let earlier = state.importedDigests[digest] {
            throw .blobAlreadyImported(digest: digest, transfer: earlier, board: state.transfers[earlier]?.destination ?? transfer.destination)
        }
        guard transfer.blobDigest == digest else { throw .unknownBlob(digest: digest) }
        let destination = try link(transfer.destination)
        guard let kekekText = transfer.kekek, let kekekName = KeyName(uuidString: kekekText) else {
            throw .needsPerson(transfer: transfer.id, "the ledger does not say which KEKEK of board \(transfer.destination) the share is wrapped for")
        }
        let kekek = try await boardCall(transfer.destination) { try await Self.checkedKey { try await destination.client.openKey(name: kekekName) } }
        let imported: PKey
        try ensureLockHeld()
        do {
            imported = try await destination.client.importKey(kekek: kekek, pkcs8: share.pkcs8, kek: share.kek, flags: options.importFlags)
        } catch HSMClientError.device(.keyNameInUse) {
            try? await kekek.close()
            // The destination holds the key already; the next step finds and records it.
            throw .needsPerson(transfer: transfer.id, "board \(transfer.destination) already holds a key with this I; run again with --resume to record it")
        } catch HSMClientError.device(let status) where Self.blobDamage.contains(status) {
            try? await kekek.close()
            return .blobDamaged(status)
        } catch {
            try? await kekek.close()
            if error.mayHaveReachedBoard {
                throw .outcomeUnknown(transfer: transfer.id, board: transfer.destination, "\(error)")
            }
            throw .board(transfer.destination, "import failed: \(error)")
        }
        try? await kekek.close()
        options.stepHook?(.importReplied, transfer.id)
        try? await imported.close()
        let name = try await importedKeyName(reported: imported.name, on: transfer.destination, transfer: transfer)
        try await append(.imported(TransferImported(transfer: transfer.id, keyName: name.description, blobDigest: digest)))
        options.stepHook?(.imported, transfer.id)
        return .imported(name)
    }

    /// How an import ended when the board answered it.
    private enum ImportResult {
        /// The destination holds the key under this name.
        case imported(KeyName)
        /// The destination could not unwrap the blob (one of ``blobDamage``).
        case blobDamaged(HALError)
    }

    /// What a board answers to an import whose blob it cannot unwrap: the blob's integrity
    /// value, length, padding or encoding is wrong. The KEKEK's public key is read twice before
    /// a share is wrapped for it, so these mean damage to the blob on the way.
    static let blobDamage: Set<HALError> = [.keywrapBadMagic, .keywrapBadLength, .keywrapBadPadding, .asn1ParseFailed]

    /// The name of the key just imported on `board`: the one the reply gave, once the board
    /// confirms it holds this key under it. A flipped bit in the reply's name (the protocol has
    /// no checksum) must not go into the ledger, where no later run would find the key: the
    /// board's hashsig keys are then searched for this key instead.
    private func importedKeyName(reported: KeyName?, on board: BoardName, transfer: KeyLedgerState.Transfer) async throws(ShareExportError) -> KeyName {
        let destination = try link(board)
        let found = try await boardCall(board) { () async throws -> KeyName? in
            if let reported {
                do {
                    let opened = try await BoardHashsigKey.open(reported, on: destination)
                    await opened.close()
                    if KeyIdentity(opened.publicKey) == key { return reported }
                } catch HSMClientError.device(.keyNotFound) {}
            }
            options.logger.notice("the import reply's key name is not this key on the board: searching the board", metadata: [
                "share.transfer": "\(transfer.id)", "share.board": "\(board)",
            ])
            guard let held = try await BoardHashsigKey.find(key, on: destination) else { return nil }
            await held.close()
            return held.key.name
        }
        guard let found else {
            throw .outcomeUnknown(transfer: transfer.id, board: board, "the import was answered, but the board holds no key with this public key")
        }
        return found
    }

    /// imported → verified.
    private func verify(_ transfer: KeyLedgerState.Transfer) async throws(ShareExportError) {
        let destination = try link(transfer.destination)
        guard let nameText = transfer.destinationKeyName, let name = KeyName(uuidString: nameText) else {
            throw .keyNotOnBoard(board: transfer.destination, keyName: transfer.destinationKeyName ?? "?")
        }
        let held = try await boardCall(transfer.destination) { try await BoardHashsigKey.open(name, on: destination) }
        return try await closing(held) { () async throws(ShareExportError) in
            guard KeyIdentity(held.publicKey) == key else { throw .publicKeyMismatch(board: transfer.destination, key: key) }
            let report = try await boardCall(transfer.destination) { try await held.report() }
            if let range = report?.range, range != transfer.range {
                throw .rangeMismatch(transfer: transfer.id, board: transfer.destination, planned: transfer.range, reported: range)
            }
            var testIndex: UInt32?
            // Without range attributes the test signature is the only look at what the
            // destination holds, so it is made whatever the options say.
            if options.testSignature || report?.range == nil {
                let q = try await testSignature(by: held, transfer)
                guard transfer.range.contains(q) else {
                    try await append(.alarm(LedgerAlarm(board: transfer.destination, transfer: transfer.id, kind: "index-outside-share",
                                                  message: "board \(transfer.destination) signed with q=\(q), outside its share \(transfer.range)")))
                    throw .rangeMismatch(transfer: transfer.id, board: transfer.destination, planned: transfer.range,
                                         reported: LeafRange(q..<(q + 1)))
                }
                // A share's first leaf signs the destination's first lower tree at import
                // (L > 1), so every signature until that tree is full shows it: the share
                // starts where the ledger says, not merely somewhere below q.
                if report?.range == nil, try currentState().publicKey.levels > 1, q != transfer.range.start {
                    try await append(.alarm(LedgerAlarm(board: transfer.destination, transfer: transfer.id, kind: "share-start-mismatch",
                                                  message: "board \(transfer.destination) signs with q=\(q) where its share \(transfer.range) starts at \(transfer.range.start)")))
                    throw .rangeMismatch(transfer: transfer.id, board: transfer.destination, planned: transfer.range,
                                         reported: LeafRange(q..<transfer.range.end))
                }
                testIndex = q
            }
            try await append(.verified(TransferVerified(transfer: transfer.id, boardRange: report?.range, testSignatureIndex: testIndex)))
            options.stepHook?(.verified, transfer.id)
            if !options.keepBlobs {
                try await stored { () async throws(LedgerError) in try await blobs.remove(key: key, transfer: transfer.id) }
            }
        }
    }

    /// How many test signatures a destination is asked for before one that does not verify
    /// is believed: a signature damaged on the link (a flipped bit the protocol cannot see)
    /// costs one leaf of the share; a board that signs wrongly every time needs a person.
    static let testSignatureAttempts = 3

    /// The destination's test signature, verified on the host.
    /// - Returns: the top-level leaf it used.
    private func testSignature(by held: BoardHashsigKey, _ transfer: KeyLedgerState.Transfer) async throws(ShareExportError) -> UInt32 {
        let message = Array("cryptech share test signature, transfer \(transfer.id)".utf8)
        for attempt in 1...Self.testSignatureAttempts {
            let last = attempt == Self.testSignatureAttempts
            let signature: [UInt8]
            try ensureLockHeld()
            do {
                signature = try await held.key.sign(message)
            } catch {
                // Lost or damaged on the way: the leaf is spent either way, and another
                // signature costs only one more.
                guard !last, error.mayHaveReachedBoard else { throw .board(transfer.destination, "test signature failed: \(error)") }
                options.logger.notice("test signature got no proper answer; asking again", metadata: [
                    "share.transfer": "\(transfer.id)", "share.board": "\(transfer.destination)", "share.error": "\(error)",
                ])
                continue
            }
            options.stepHook?(.testSigned, transfer.id)
            let result = try? await options.verification.verify(signature: signature, message: message, publicKey: held.publicKey)
            if result == .valid, let q = try? HSS.Signature(bytes: signature).topLeafIndex { return q }
            guard !last else { break }
            options.logger.notice("test signature does not verify; asking again (a reply damaged on the link costs one leaf)", metadata: [
                "share.transfer": "\(transfer.id)", "share.board": "\(transfer.destination)",
            ])
        }
        throw .needsPerson(transfer: transfer.id, "board \(transfer.destination)'s test signature does not verify (\(Self.testSignatureAttempts) signatures)")
    }

    // MARK: - Helpers

    /// Makes or reuses the destination's KEKEK and loads its public key on the source.
    func loadKEKEK(for transfer: KeyLedgerState.Transfer) async throws(ShareExportError) -> (PKey, KeyName) {
        let destination = try link(transfer.destination)
        let (name, spki) = try await boardCall(transfer.destination) { () async throws -> (KeyName, [UInt8]) in
            var attempt = 1
            while true {
                var found = try await Self.firstKEKEK(on: destination)
                if found == nil {
                    // Found again below rather than taken from this reply: the ledger records the
                    // name, and a name damaged on the link would name no key later.
                    let generated = try await destination.client.generateRSAKey(keyLength: options.kekekBits, flags: Self.kekekFlags)
                    try? await generated.close()
                    found = try await Self.firstKEKEK(on: destination)
                }
                guard let found else { throw HSMClientError.invalidArgument("no KEKEK on the board after generating one") }
                do {
                    let kekek = try await Self.checkedKey { try await destination.client.openKey(name: found) }
                    // Read twice: the share is wrapped for this key, and a flipped bit in it would
                    // make a share no board can unwrap.
                    let spki = try await kekek.confirmedPublicKey()
                    try? await kekek.close()
                    return (found, spki)
                } catch HSMClientError.device(.keyNotFound) where attempt < 3 {
                    // A name the board listed a moment ago names no key: the list was damaged
                    // on the link (the protocol has no checksum). Listed again.
                    attempt += 1
                }
            }
        }
        return (try await loadOnSource(spki, for: transfer), name)
    }

    /// A KEKEK is an RSA token key for key encipherment.
    static let kekekFlags: KeyFlags = [.keyEncipherment, .token]

    /// The first KEKEK the board lists, if any.
    private static func firstKEKEK(on link: BoardLink) async throws -> KeyName? {
        for try await name in link.client.matchKeys(type: .rsaPrivate, mask: kekekFlags, flags: kekekFlags) { return name }
        return nil
    }

    /// Loads the public key of the destination's KEKEK `name` on the source.
    func loadKEKEK(named name: KeyName, for transfer: KeyLedgerState.Transfer) async throws(ShareExportError) -> PKey {
        let destination = try link(transfer.destination)
        let spki = try await boardCall(transfer.destination) { () async throws -> [UInt8] in
            let kekek = try await Self.checkedKey { try await destination.client.openKey(name: name) }
            let spki = try await kekek.confirmedPublicKey()
            try? await kekek.close()
            return spki
        }
        return try await loadOnSource(spki, for: transfer)
    }

    private func loadOnSource(_ spki: [UInt8], for transfer: KeyLedgerState.Transfer) async throws(ShareExportError) -> PKey {
        let source = try link(transfer.source)
        // Loaded again when the reply is lost: a volatile public key, gone at logout.
        return try await boardCall(transfer.source) { try await Self.checkedKey { try await source.client.loadKey(der: spki, flags: [.keyEncipherment]) } }
    }

    /// A key handle from `obtain` (an open, or a load of a volatile public key), asked about
    /// once before a state change uses it: the handle comes from a reply, which the link may
    /// have damaged (the protocol has no checksum), and a damaged handle names no key. Then,
    /// or when the reply is lost, the key is obtained again, at most three times in all.
    static func checkedKey(_ obtain: () async throws -> PKey) async throws -> PKey {
        var attempt = 1
        while true {
            do {
                let key = try await obtain()
                do {
                    _ = try await key.keyType()
                    return key
                } catch HSMClientError.device(.keyNotFound) where attempt < 3 {}
            } catch let error as HSMClientError where error.isLostOrDamagedReply && attempt < 3 {}
            attempt += 1
        }
    }

    /// Opens the key a holding names on its board, checking it is this key.
    func openHolding(_ board: BoardName, state: KeyLedgerState) async throws(ShareExportError) -> BoardHashsigKey {
        guard let holding = state.holdings[board] else { throw .plan(.unknownBoard(board, key: key)) }
        guard let name = KeyName(uuidString: holding.keyName) else { throw .keyNotOnBoard(board: board, keyName: holding.keyName) }
        let link = try link(board)
        let opened: BoardHashsigKey
        do {
            opened = try await BoardHashsigKey.open(name, on: link)
        } catch HSMClientError.device(.keyNotFound) {
            throw .keyNotOnBoard(board: board, keyName: holding.keyName)
        } catch {
            throw .board(board, "\(error)")
        }
        guard KeyIdentity(opened.publicKey) == key else {
            await opened.close()
            throw .publicKeyMismatch(board: board, key: key)
        }
        return opened
    }

    /// Records what a board reports (when it changed, or when a probe signature first stands
    /// in for range attributes) and any alarm it raises; refuses to go on past an alarm.
    @discardableResult
    func observe(_ board: BoardName, _ report: BoardReport, probeIndex: UInt32? = nil) async throws(ShareExportError) -> KeyLedgerState {
        let (events, alarms) = Reconciler.events(for: report, board: board, state: try currentState(), probeIndex: probeIndex)
        if !events.isEmpty { try await append(events) }
        guard alarms.isEmpty else { throw .alarms(alarms) }
        return try currentState()
    }

    /// Runs `body`, then releases `key`'s handle on the board (the board has 256 for all
    /// clients), whether `body` succeeded or not.
    func closing<T>(_ key: BoardHashsigKey, _ body: () async throws(ShareExportError) -> T) async throws(ShareExportError) -> T {
        let result: Result<T, ShareExportError>
        do throws(ShareExportError) {
            result = .success(try await body())
        } catch {
            result = .failure(error)
        }
        await key.close()
        return try result.get()
    }

    func link(_ board: BoardName) throws(ShareExportError) -> BoardLink {
        guard let link = boards[board] else { throw .boardNotGiven(board) }
        return link
    }

    func currentState() throws(ShareExportError) -> KeyLedgerState {
        try ledgerCall { () throws(LedgerError) in try ledger.state(of: key) }
    }

    func append(_ event: LedgerEvent) async throws(ShareExportError) {
        try await append([event])
    }

    func append(_ events: [LedgerEvent]) async throws(ShareExportError) {
        try await stored { () async throws(LedgerError) in try await ledger.append(events, key: key) }
    }

    /// Before a board call that changes state: the store fences its own writes, a board
    /// cannot be, so a holder that may have lost the export lock stops here.
    func ensureLockHeld() throws(ShareExportError) {
        try ledgerCall { () throws(LedgerError) in try ledger.ensureExportLockHeld() }
    }

    @discardableResult
    func stored<T>(_ body: () async throws(LedgerError) -> T) async throws(ShareExportError) -> T {
        do {
            return try await body()
        } catch {
            throw .ledger(error)
        }
    }

    @discardableResult
    func ledgerCall<T>(_ body: () throws(LedgerError) -> T) throws(ShareExportError) -> T {
        do {
            return try body()
        } catch {
            throw .ledger(error)
        }
    }

    func boardCall<T>(_ board: BoardName, _ body: () async throws -> T) async throws(ShareExportError) -> T {
        do {
            return try await body()
        } catch let error as ShareExportError {
            throw error
        } catch let error as HSMClientError where error.isLostOrDamagedReply {
            throw .linkFault(board, "\(error)")
        } catch {
            throw .board(board, "\(error)")
        }
    }
}

extension ShareExporter {
    /// Host-side import of a wrapped share for `transfer`, as a person re-importing a blob
    /// would do it: refused for a blob the ledger records as imported (a replay, also after
    /// the key was deleted on the destination) or that this ledger never exported.
    /// - Throws: ``ShareExportError/blobAlreadyImported(digest:transfer:board:)``,
    ///   ``ShareExportError/unknownBlob(digest:)``, or what the import step throws.
    public func importBlob(_ share: WrappedShare, transfer id: String) async throws(ShareExportError) -> KeyName {
        try await underExportLock { () async throws(ShareExportError) in
            let state = try currentState()
            if let earlier = state.importedDigests[share.digest],
               let board = state.transfers[earlier]?.destination ?? state.transfers[id]?.destination {
                throw .blobAlreadyImported(digest: share.digest, transfer: earlier, board: board)
            }
            guard let transfer = state.transfers[id], transfer.state == .exported else { throw .unknownBlob(digest: share.digest) }
            switch try await importBlob(share, transfer: transfer) {
            case .imported(let name): return name
            case .blobDamaged(let status): throw .board(transfer.destination, "import failed: \(status): the blob is damaged")
            }
        }
    }
}
