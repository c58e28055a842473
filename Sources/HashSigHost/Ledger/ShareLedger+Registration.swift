import HalRPC
import HashSig

/// Recording a board's hashsig key in the ledger: the one place that decides which range and
/// next index a board holds when the ledger first hears of it, so that `cryptech hashsig
/// keygen`, `cryptech share register`, the demo, the HIL suite and the benchmarks cannot
/// disagree on it. The range is learned, never guessed: a wrong range here hands out
/// one-time keys the board has already spent.
extension ShareLedger {
    /// What the host knows of the key's range before it asks the board.
    public enum RangeClaim: Hashable, Sendable {
        /// The host had the board generate the key just now: it holds the whole top tree.
        case generatedJustNow
        /// The key was on the board already: its range comes from the board (SX1), else from
        /// the ledger or `stated` by a person, either confirmed by a probe signature.
        case existing(stated: LeafRange?)
    }

    /// Records `key` as held by its board: a `keyRegistered` event, or (the ledger records
    /// the board holding it already) an `observed` one with what the board says now. Releases
    /// the key's handle afterwards, whether or not it succeeded: the board has 256 handles for
    /// all clients, and a registered key is next opened by whoever uses its share.
    /// - Parameters:
    ///   - key: the key, open on its board.
    ///   - claim: what the host knows of its range before asking the board.
    ///   - label: a name for the key in the ledger, for people.
    ///   - probeMessage: what a probe signature signs when the board has no SX1 range
    ///     attributes (it names the caller to whoever audits the signatures later).
    /// - Returns: the registration as learned, and whether the ledger had it already.
    /// - Throws: ``KeyRegistrationError`` when the range cannot be learned or disagrees;
    ///   ``BoardHashsigKey/ProbeError``, `HSMClientError`, ``LedgerError``.
    @discardableResult
    public func register(_ key: BoardHashsigKey, _ claim: RangeClaim, label: String? = nil,
                         probeMessage: [UInt8]) async throws -> (registration: KeyRegistration, alreadyRecorded: Bool) {
        do {
            let outcome = try await record(key, claim, label: label, probeMessage: probeMessage)
            await key.close()
            return outcome
        } catch {
            await key.close()
            throw error
        }
    }

    private func record(_ key: BoardHashsigKey, _ claim: RangeClaim, label: String?,
                        probeMessage: [UInt8]) async throws -> (registration: KeyRegistration, alreadyRecorded: Bool) {
        let identity = KeyIdentity(key.publicKey)
        let held = (try? state(of: identity))?.holdings[key.link.name]
        let registration = try await Self.learn(key, claim, recorded: held?.range, label: label, probeMessage: probeMessage)
        guard held == nil else {
            try await append(.observed(BoardObservation(board: registration.board,
                                                        range: registration.rangeLearned == .attributes ? registration.range : nil,
                                                        next: registration.next, probeIndex: registration.probeIndex)), key: identity)
            return (registration, true)
        }
        try await append(.keyRegistered(registration), key: identity)
        return (registration, false)
    }

    /// The board's range and next index: its SX1 attributes; else the whole top tree of a key
    /// generated just now, or the range the ledger `recorded` (a share it saw arrive) or a
    /// person stated — and a probe signature for the next index, which must fall inside.
    private static func learn(_ key: BoardHashsigKey, _ claim: RangeClaim, recorded: LeafRange?, label: String?,
                              probeMessage: [UInt8]) async throws -> KeyRegistration {
        let board = key.link.name
        func registration(_ range: LeafRange, next: UInt32, _ evidence: RangeEvidence, probe: UInt32? = nil) -> KeyRegistration {
            KeyRegistration(publicKey: key.publicKey, board: board, keyName: key.name.description, range: range, next: next,
                            label: label, rangeLearned: evidence, probeIndex: probe)
        }
        let stated: LeafRange? = if case .existing(let stated) = claim { stated } else { nil }
        if let report = try await key.report(), let range = report.range {
            if let stated, stated != range { throw KeyRegistrationError.reportedRangeDiffers(board: board, reported: range, stated: stated) }
            return registration(range, next: report.next, .attributes)
        }
        let range: LeafRange
        let evidence: RangeEvidence
        switch claim {
        case .generatedJustNow:
            (range, evidence) = (LeafRange(0..<key.publicKey.topPublicKey.lmsType.leafCount), .generated)
        case .existing:
            if let recorded, let stated, stated != recorded {
                throw KeyRegistrationError.recordedRangeDiffers(board: board, recorded: recorded, stated: stated)
            }
            guard let known = recorded ?? stated else { throw KeyRegistrationError.rangeUnknown(board: board) }
            (range, evidence) = (known, recorded != nil ? .ledger : .stated)
        }
        let probe = try await key.probe(probeMessage)
        guard range.contains(probe.index) else {
            throw KeyRegistrationError.probeOutsideRange(board: board, index: probe.index, range: range)
        }
        return registration(range, next: probe.next, evidence, probe: probe.index)
    }
}

/// Why ``ShareLedger/register(_:_:label:probeMessage:)`` recorded nothing.
public enum KeyRegistrationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The board's SX1 attributes say one range, the person another.
    case reportedRangeDiffers(board: BoardName, reported: LeafRange, stated: LeafRange)
    /// The ledger records one range for the board, the person states another.
    case recordedRangeDiffers(board: BoardName, recorded: LeafRange, stated: LeafRange)
    /// No SX1, no record in the ledger, and no stated range: the range cannot be learned.
    case rangeUnknown(board: BoardName)
    /// The probe signature used a leaf outside the range: the range is wrong.
    case probeOutsideRange(board: BoardName, index: UInt32, range: LeafRange)

    /// The reason, for a person: which board, which ranges.
    public var description: String {
        switch self {
        case let .reportedRangeDiffers(board, reported, stated):
            "board \(board) reports \(reported), not the stated range \(stated)"
        case let .recordedRangeDiffers(board, recorded, stated):
            "the ledger records \(recorded) for board \(board), not the stated range \(stated)"
        case let .rangeUnknown(board):
            "board \(board) does not report its range (no SX1) and the ledger never saw this key arrive there: "
                + "give the range it holds"
        case let .probeOutsideRange(board, index, range):
            "board \(board) signed with top-level leaf \(index), outside \(range): not registered"
        }
    }
}
