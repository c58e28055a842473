import CryptechHex
import HalRPC
import HashSig

/// Everything the ledger says about one key: which board holds which range, every transfer
/// and its state, burned ranges, alarms. Built by folding the key's records in order; the same
/// fold checks every new event before it is written, so the file can only ever hold a history
/// in which no leaf is in two places.
public struct KeyLedgerState: Hashable, Sendable {
    /// One board's share of the key.
    public struct Holding: Hashable, Sendable {
        /// The board that holds this share.
        public var board: BoardName
        /// The key's name (UUID) on the board.
        public var keyName: String
        /// The range the board holds, as the ledger knows it.
        public var range: LeafRange
        /// The board's next unused leaf: the last reported, or the range start.
        public var next: UInt32
        /// Whether ``next`` came from the board itself.
        public var nextReported: Bool
        /// The transfer that brought the share, `nil` for the registering board.
        public var transfer: String?
        /// How the range was learned.
        public var learned: RangeEvidence?
        /// Whether the board answers SX1 range attributes, as far as the ledger has seen:
        /// `false` once it was known only through probe signatures, `nil` when never reached.
        public var reportsRange: Bool?
        /// An interrupted bisection may or may not have taken the top of this range (see
        /// ``RangeBurned/sourceMayStillHold``): the board may hold more than ``range``.
        public var rangeEndUncertain = false

        /// Leaves left: `end - next`.
        public var remaining: UInt32 { range.end > next ? range.end - next : 0 }
    }

    /// One transfer and what is known of it.
    public struct Transfer: Hashable, Sendable {
        /// The transfer's id (`T1`, …).
        public var id: String
        /// The id of the plan it belongs to (`P1`, …).
        public var plan: String
        /// The request as typed, so a re-run can recognise its own plan.
        public var request: String
        /// The board the leaves leave.
        public var source: BoardName
        /// The board that is to hold them.
        public var destination: BoardName
        /// The top-level leaves it moves; no other holding or live transfer may overlap them.
        public var range: LeafRange
        /// How the share is exported.
        public var method: ExportMethod
        /// The probe signature's top-level leaf index (legacy firmware), which placed the split.
        public var probeIndex: UInt32?
        /// Where the transfer stands, from its last event.
        public var state: TransferState
        /// SHA-256 of the wrapped share, once exported; an import must carry the same digest.
        public var blobDigest: SHA256Digest?
        /// The key's name (UUID) on the destination, once imported.
        public var destinationKeyName: String?
        /// The leaf index of the destination's test signature, when one was made.
        public var testSignatureIndex: UInt32?
        /// A remark recorded with the transfer: the export's note, or why it burned or was released.
        public var note: String?
        /// The destination's KEKEK the share was wrapped for.
        public var kekek: String?
    }

    /// Which key this state is of.
    public let key: KeyIdentity
    /// The key's HSS public key, from its registration: every board's share must sign under it.
    public let publicKey: HSS.PublicKey
    /// The note recorded with the key, if any.
    public var label: String?
    /// 2^h: the top tree's leaves.
    public let leafCount: UInt32
    /// Holdings by board.
    public private(set) var holdings: [BoardName: Holding] = [:]
    /// Boards in the order they came to hold the key.
    public private(set) var boardOrder: [BoardName] = []
    /// Every transfer of the key by id; ``orderedTransfers`` lists them in planned order.
    public private(set) var transfers: [String: Transfer] = [:]
    /// Transfer ids in the order they were planned.
    public private(set) var transferOrder: [String] = []
    /// Every range burned, in ledger order: leaves lost for good, never given to a board again.
    public private(set) var burned: [RangeBurned] = []
    /// Every alarm recorded for the key, in ledger order.
    public private(set) var alarms: [LedgerAlarm] = []
    /// Blob digests recorded as imported, with their transfer.
    public private(set) var importedDigests: [SHA256Digest: String] = [:]
    /// Blob digests recorded as exported, with their transfer.
    public private(set) var exportedDigests: [SHA256Digest: String] = [:]
    /// The exports of each bisection plan, in order, as accepted.
    public private(set) var bisectionPlans: [String: [BisectionPlan.Step]] = [:]

    /// The state right after a key's registration.
    /// - Throws: a reason when the public key or range is unusable.
    init(key: KeyIdentity, registration: KeyRegistration) throws(LedgerInconsistency) {
        guard let bytes = Hex.decode(registration.publicKey), let publicKey = try? HSS.PublicKey(bytes: bytes) else {
            throw LedgerInconsistency("the public key is not a raw RFC 8554 HSS public key")
        }
        guard KeyIdentity(publicKey) == key else {
            throw LedgerInconsistency("the public key does not have the identity \(key)")
        }
        let leafCount = publicKey.topPublicKey.lmsType.leafCount
        guard registration.range.end <= leafCount, !registration.range.isEmpty else {
            throw LedgerInconsistency("range \(registration.range) is empty or beyond the \(leafCount) leaves of the top tree")
        }
        guard registration.range.start <= registration.next, registration.next <= registration.range.end else {
            throw LedgerInconsistency("next index \(registration.next) is outside \(registration.range)")
        }
        self.key = key
        self.publicKey = publicKey
        self.leafCount = leafCount
        self.label = registration.label
        let learned = registration.rangeLearned ?? .attributes
        add(Holding(board: registration.board, keyName: registration.keyName, range: registration.range,
                    next: registration.next, nextReported: true, transfer: nil, learned: learned,
                    reportsRange: learned == .attributes ? true : (registration.probeIndex != nil ? false : nil)))
    }

    private mutating func add(_ holding: Holding) {
        holdings[holding.board] = holding
        boardOrder.append(holding.board)
    }

    /// Holdings in ``boardOrder``.
    public var orderedHoldings: [Holding] { boardOrder.compactMap { holdings[$0] } }
    /// Transfers in ``transferOrder``.
    public var orderedTransfers: [Transfer] { transferOrder.compactMap { transfers[$0] } }

    /// Transfers from `board` that are not finished.
    public func unfinishedTransfers(from board: BoardName) -> [Transfer] {
        orderedTransfers.filter { $0.source == board && !$0.state.isFinished }
    }

    /// Transfers whose range is reserved or exported but held by no destination.
    public var inFlightTransfers: [Transfer] { orderedTransfers.filter { $0.state.isInFlight } }

    /// Plan ids used so far.
    public var planIDs: [String] {
        var seen: Set<String> = []
        return orderedTransfers.map(\.plan).filter { seen.insert($0).inserted }
    }

    /// Whether `plan` is a bisection plan with exports not yet started that can still go on:
    /// it is the next step's turn once the started ones are finished.
    public func hasStepsLeft(_ plan: String) -> Bool {
        guard let steps = bisectionPlans[plan] else { return false }
        return orderedTransfers.filter { $0.plan == plan }.count < steps.count && endedEarly(plan) == nil
    }

    /// The transfer that ended `plan` before all its exports ran: one that burned or was
    /// released, after which the plan's later exports no longer split where the person
    /// accepted.
    public func endedEarly(_ plan: String) -> Transfer? {
        guard let steps = bisectionPlans[plan] else { return nil }
        let transfers = orderedTransfers.filter { $0.plan == plan }
        guard transfers.count < steps.count else { return nil }
        return transfers.first { $0.state == .burned || $0.state == .released }
    }

    /// Applies one event, or says why it contradicts what is recorded.
    mutating func apply(_ event: LedgerEvent) throws(LedgerInconsistency) {
        switch event {
        case .keyRegistered:
            throw LedgerInconsistency("key \(key.shortDescription) is already registered")
        case .planned(let planned):
            try plan(planned)
        case .exporting(let exporting):
            var transfer = try existing(exporting.transfer, in: [.planned, .exporting])
            transfer.state = .exporting
            transfer.kekek = exporting.kekek ?? transfer.kekek
            transfers[transfer.id] = transfer
        case .exported(let exported):
            try export(exported)
        case .imported(let imported):
            try importShare(imported)
        case .verified(let verified):
            var transfer = try existing(verified.transfer, in: [.imported])
            if let range = verified.boardRange, range != transfer.range {
                throw LedgerInconsistency("transfer \(transfer.id): board range \(range) is not the share \(transfer.range)")
            }
            if let q = verified.testSignatureIndex {
                guard transfer.range.contains(q) else {
                    throw LedgerInconsistency("transfer \(transfer.id): test signature index \(q) outside \(transfer.range)")
                }
                if var holding = holdings[transfer.destination] {
                    holding.next = max(holding.next, q + 1)
                    holdings[transfer.destination] = holding
                }
            }
            transfer.state = .verified
            transfer.testSignatureIndex = verified.testSignatureIndex
            transfers[transfer.id] = transfer
        case .burned(let burn):
            try self.burn(burn)
        case .released(let release):
            var transfer = try existing(release.transfer, in: [.planned, .exporting])
            guard let source = holdings[transfer.source], release.sourceRange.contains(transfer.range),
                  release.sourceRange.end == source.range.end else {
                throw LedgerInconsistency("transfer \(transfer.id): the source's reported range \(release.sourceRange) does not still hold \(transfer.range)")
            }
            transfer.state = .released
            transfer.note = release.reason
            transfers[transfer.id] = transfer
        case .observed(let observation):
            guard var holding = holdings[observation.board] else {
                throw LedgerInconsistency("board \(observation.board) holds no share of this key")
            }
            holding.next = observation.next
            holding.nextReported = true
            if observation.range != nil {
                holding.reportsRange = true
            } else if observation.probeIndex != nil {
                holding.reportsRange = false
            }
            holdings[observation.board] = holding
        case .alarm(let alarm):
            alarms.append(alarm)
        case .repaired, .checkpoint:
            throw LedgerInconsistency("a \(event.name) record belongs to no key")
        }
    }

    private func existing(_ id: String, in states: Set<TransferState>) throws(LedgerInconsistency) -> Transfer {
        guard let transfer = transfers[id] else { throw LedgerInconsistency("no transfer \(id)") }
        guard states.contains(transfer.state) else {
            throw LedgerInconsistency("transfer \(id) is \(transfer.state)")
        }
        return transfer
    }

    private mutating func plan(_ planned: TransferPlanned) throws(LedgerInconsistency) {
        guard transfers[planned.transfer] == nil else {
            throw LedgerInconsistency("transfer \(planned.transfer) already exists")
        }
        guard let source = holdings[planned.source] else {
            throw LedgerInconsistency("board \(planned.source) holds no share of this key")
        }
        guard planned.destination != planned.source else {
            throw LedgerInconsistency("transfer \(planned.transfer) goes from \(planned.source) to itself")
        }
        guard holdings[planned.destination] == nil else {
            throw LedgerInconsistency("board \(planned.destination) already holds \(holdings[planned.destination]!.range) of this key")
        }
        guard !planned.range.isEmpty, source.range.contains(planned.range) else {
            throw LedgerInconsistency("range \(planned.range) is not inside \(planned.source)'s \(source.range)")
        }
        guard planned.range.start >= source.next else {
            throw LedgerInconsistency("range \(planned.range) includes leaves \(planned.source) has used (next \(source.next))")
        }
        for other in inFlightTransfers {
            if other.range.overlaps(planned.range) {
                throw LedgerInconsistency("range \(planned.range) overlaps \(other.range) of transfer \(other.id)")
            }
            if other.destination == planned.destination {
                throw LedgerInconsistency("board \(planned.destination) is already the destination of transfer \(other.id)")
            }
        }
        if let steps = planned.bisection {
            guard bisectionPlans[planned.plan] == nil else {
                throw LedgerInconsistency("plan \(planned.plan) already has its bisection steps")
            }
            guard let first = steps.first, first.source == planned.source, first.destination == planned.destination,
                  first.range == planned.range else {
                throw LedgerInconsistency("transfer \(planned.transfer) is not the first step of its bisection plan")
            }
            bisectionPlans[planned.plan] = steps
        }
        transfers[planned.transfer] = Transfer(
            id: planned.transfer, plan: planned.plan, request: planned.request, source: planned.source,
            destination: planned.destination, range: planned.range, method: planned.method,
            probeIndex: planned.probeIndex, state: .planned)
        transferOrder.append(planned.transfer)
    }

    private mutating func export(_ exported: TransferExported) throws(LedgerInconsistency) {
        var transfer = try existing(exported.transfer, in: [.planned, .exporting, .exported])
        guard exported.share == transfer.range else {
            throw LedgerInconsistency("transfer \(transfer.id): exported \(exported.share) is not the planned \(transfer.range)")
        }
        if let other = exportedDigests[exported.blobDigest] {
            throw LedgerInconsistency("blob \(exported.blobDigest) was already exported by transfer \(other)")
        }
        if transfer.state == .exported {
            // Wrapped again from the source's pending share (SX1 two-phase) after the
            // destination found the first blob damaged: the source gave the range up once.
            guard transfer.method == .sx1 else {
                throw LedgerInconsistency("transfer \(transfer.id) is already exported, and only an SX1 source wraps a share again")
            }
        } else {
            try shrinkSource(of: transfer)
        }
        transfer.state = .exported
        transfer.blobDigest = exported.blobDigest
        transfer.note = exported.note
        transfers[transfer.id] = transfer
        exportedDigests[exported.blobDigest] = transfer.id
    }

    /// The source gave the top of its range away: `[start, end)` becomes `[start, share.start)`.
    private mutating func shrinkSource(of transfer: Transfer) throws(LedgerInconsistency) {
        guard var source = holdings[transfer.source] else {
            throw LedgerInconsistency("board \(transfer.source) holds no share of this key")
        }
        guard transfer.range.end == source.range.end, transfer.range.start >= source.range.start else {
            throw LedgerInconsistency("transfer \(transfer.id): \(transfer.range) is not the top of \(transfer.source)'s \(source.range)")
        }
        guard source.next <= transfer.range.start else {
            throw LedgerInconsistency("transfer \(transfer.id): \(transfer.source) has used leaves up to \(source.next) inside \(transfer.range)")
        }
        source.range = LeafRange(source.range.start..<transfer.range.start)
        holdings[transfer.source] = source
    }

    private mutating func importShare(_ imported: TransferImported) throws(LedgerInconsistency) {
        var transfer = try existing(imported.transfer, in: [.exported])
        guard imported.blobDigest == transfer.blobDigest else {
            throw LedgerInconsistency("transfer \(transfer.id): imported blob \(imported.blobDigest) is not the exported one")
        }
        if let other = importedDigests[imported.blobDigest] {
            throw LedgerInconsistency("blob \(imported.blobDigest) was already imported by transfer \(other)")
        }
        guard holdings[transfer.destination] == nil else {
            throw LedgerInconsistency("board \(transfer.destination) already holds a share of this key")
        }
        add(Holding(board: transfer.destination, keyName: imported.keyName, range: transfer.range,
                    next: transfer.range.start, nextReported: false, transfer: transfer.id, learned: .ledger))
        transfer.state = .imported
        transfer.destinationKeyName = imported.keyName
        transfers[transfer.id] = transfer
        importedDigests[imported.blobDigest] = transfer.id
    }

    private mutating func burn(_ burn: RangeBurned) throws(LedgerInconsistency) {
        var transfer = try existing(burn.transfer, in: [.planned, .exporting, .exported])
        guard burn.range == transfer.range, burn.board == transfer.source else {
            throw LedgerInconsistency("transfer \(transfer.id): burned \(burn.range) from \(burn.board) is not its \(transfer.range) from \(transfer.source)")
        }
        if transfer.state != .exported {
            // The board shrank but the host never got the blob.
            try shrinkSource(of: transfer)
        }
        if burn.sourceMayStillHold == true {
            holdings[transfer.source]?.rangeEndUncertain = true
        }
        transfer.state = .burned
        transfer.note = burn.reason
        transfers[transfer.id] = transfer
        burned.append(burn)
    }
}

/// Why an event contradicts the ledger (wrapped into ``LedgerError/inconsistent(path:line:reason:)``).
public struct LedgerInconsistency: Error, Hashable, Sendable, CustomStringConvertible {
    /// What the event contradicts, in words.
    public let reason: String
    init(_ reason: String) { self.reason = reason }
    /// The contradiction in words (``reason``).
    public var description: String { reason }
}
