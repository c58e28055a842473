import HalRPC
import HashSig
import Logging

/// One hashsig key held by several boards, signing as one: `sign(message)` picks a board with
/// leaves left, fails over when a board is exhausted, busy or unreachable, verifies each
/// signature on the host before returning it, and records every attempt for the audit.
///
/// It never re-sends a sign request that may have reached a board: a timed-out sign may have
/// consumed a one-time key, so it is recorded, the board is suspended, and `sign` throws
/// ``SignerPoolError/indeterminate(board:detail:)``. Calling `sign` again is a new request the
/// caller chose to make.
public actor SignerPool {
    /// Which board signs next.
    public enum Selection: Hashable, Sendable {
        /// The board with the most leaves left (ties: name order).
        case mostRemaining
        /// The first usable board in this order; boards not named come after, by name.
        case priority([BoardName])
    }

    /// How the pool picks boards and checks what they return.
    public struct Options: Sendable {
        /// Which board signs next; the one with most leaves left unless set.
        public var selection: Selection = .mostRemaining
        /// Verify every signature on the host before returning it.
        public var verifies = true
        /// How the host verifies: in software, or with a board's hash cores.
        public var verification: VerificationPolicy = .software
        /// Where failovers, suspensions and signatures are logged (board, reason, leaf index;
        /// never a message or signature); nothing is logged by default.
        public var logger = Logger(label: "cryptech.hashsighost", factory: { _ in SwiftLogNoOpLogHandler() })
        /// The defaults: most leaves left first, every signature verified in software.
        public init() {}
    }

    /// One member and what the pool knows of it.
    public struct Member: Hashable, Sendable {
        /// Whether the pool may ask the member to sign.
        public enum Status: Hashable, Sendable {
            /// It may sign.
            case available
            /// Its share has no leaf left.
            case exhausted
            /// Could not be reached; tried again by ``SignerPool/refresh()``, or when no
            /// other board is left.
            case unreachable(String)
            /// An indeterminate or out-of-share signature: not used until ``SignerPool/refresh()``
            /// finds it consistent.
            case suspended(String)
        }

        /// The member's ledger name.
        public var board: BoardName
        /// Whether it may sign now.
        public var status: Status
        /// Next top-level index and range, as last reported or seen in a signature.
        public var next: UInt32?
        /// The member's share of the top tree, as last reported or from the ledger.
        public var range: LeafRange?
        /// Signatures it made through this pool.
        public var signatures = 0

        /// Leaves left, when known.
        public var remaining: UInt32? {
            guard let next, let range else { return nil }
            return range.end > next ? range.end - next : 0
        }
    }

    /// The key every member signs under; every signature is verified against it.
    public let publicKey: HSS.PublicKey
    private let signers: [BoardName: any ShareSigner]
    private let shares: ShareMap?
    private let journal: SignatureJournal?
    private let ledger: (ledger: ShareLedger, key: KeyIdentity)?
    private let options: Options
    /// Every member by name, with what the pool knows of it now.
    public private(set) var members: [BoardName: Member] = [:]

    /// - Parameters:
    ///   - publicKey: the key every member signs under.
    ///   - signers: the members.
    ///   - shares: the ledger's share map, to refuse a signature outside its board's share.
    ///   - journal: where every attempt is recorded (fsynced before a signature is returned).
    ///   - ledger: the share ledger and key: every board reached by ``refresh()`` is reconciled
    ///     against it, its report recorded, and a board raising an alarm suspended.
    ///   - options: which member signs next, and whether and how signatures are verified.
    public init(publicKey: HSS.PublicKey, signers: [any ShareSigner], shares: ShareMap? = nil,
                journal: SignatureJournal? = nil, ledger: (ledger: ShareLedger, key: KeyIdentity)? = nil,
                options: Options = Options()) {
        self.publicKey = publicKey
        self.ledger = ledger
        self.signers = Dictionary(signers.map { ($0.board, $0) }, uniquingKeysWith: { first, _ in first })
        self.shares = shares
        self.journal = journal
        self.options = options
        for signer in signers {
            members[signer.board] = Member(board: signer.board, status: .available, range: shares?.range(of: signer.board))
        }
    }

    /// Asks every member for its state: reachable members become available again (unless
    /// exhausted), with their next index and range.
    public func refresh() async {
        for board in members.keys.sorted() {
            guard let signer = signers[board] else { continue }
            do {
                let report = try await signer.report()
                var member = members[board]!
                if let report {
                    member.next = report.next
                    member.range = report.range ?? member.range
                }
                member.status = member.remaining == 0 ? .exhausted : .available
                if let report, let alarm = await reconcile(report, board: board) {
                    options.logger.warning("board suspended: its report contradicts the ledger", metadata: ["share.board": "\(board)", "share.alarm": "\(alarm)"])
                    member.status = .suspended(alarm)
                }
                members[board] = member
            } catch {
                options.logger.info("board unreachable", metadata: ["share.board": "\(board)", "share.reason": "\(error)"])
                members[board]?.status = .unreachable("\(error)")
            }
        }
    }

    /// Records `board`'s report in the ledger and says what alarm it raises, if any.
    private func reconcile(_ report: BoardReport, board: BoardName) async -> String? {
        guard let (ledger, key) = ledger, let state = try? ledger.state(of: key) else { return nil }
        let (events, alarms) = Reconciler.events(for: report, board: board, state: state)
        if !events.isEmpty { _ = try? await ledger.append(events, key: key) }
        return alarms.first?.description
    }

    /// Signs `message` with one board's share.
    /// - Returns: a signature verified on the host (unless verification is off).
    /// - Throws: ``SignerPoolError``.
    public func sign(_ message: [UInt8]) async throws(SignerPoolError) -> PoolSignature {
        var skipped: [BoardName: SignAttemptError] = [:]
        var tried: Set<BoardName> = []
        while let board = choose(excluding: tried) {
            tried.insert(board)
            guard let signer = signers[board] else { continue }
            let signature: [UInt8]
            do {
                signature = try await signer.sign(message)
            } catch {
                switch error {
                case .exhausted:
                    members[board]?.status = .exhausted
                case .unreachable(let detail):
                    members[board]?.status = .unreachable(detail)
                case .busy, .failed:
                    break
                case .indeterminate(let detail):
                    options.logger.warning("board suspended: indeterminate sign", metadata: ["share.board": "\(board)", "share.reason": "\(detail)"])
                    members[board]?.status = .suspended("indeterminate sign: \(detail)")
                    try record(.indeterminate, board, message, nil, nil, note: detail)
                    throw .indeterminate(board: board, detail: detail)
                }
                skipped[board] = error
                options.logger.info("board passed over", metadata: ["share.board": "\(board)", "share.reason": "\(error)"])
                continue
            }
            return try await accept(signature, from: board, message: message, skipped: skipped)
        }
        var reasons: [BoardName: String] = [:]
        for (board, member) in members {
            reasons[board] = skipped[board].map { "\($0)" } ?? "\(member.status)"
        }
        throw .noSignerAvailable(reasons)
    }

    /// Checks a signature from `board`, records it, and hands it out.
    private func accept(_ signature: [UInt8], from board: BoardName, message: [UInt8],
                        skipped: [BoardName: SignAttemptError]) async throws(SignerPoolError) -> PoolSignature {
        let parsed: HSS.Signature
        do {
            parsed = try HSS.Signature(bytes: signature)
        } catch {
            members[board]?.status = .suspended("malformed signature")
            try record(.refused, board, message, signature, nil, note: "malformed: \(error)")
            throw .invalidSignature(board: board, reason: "\(error)")
        }
        if options.verifies {
            let result: VerificationResult
            do {
                result = try await options.verification.verify(signature: signature, message: message, publicKey: publicKey)
            } catch {
                try record(.refused, board, message, signature, parsed.leafIndices, note: "not verified: \(error)")
                throw .invalidSignature(board: board, reason: "\(error)")
            }
            guard result == .valid else {
                members[board]?.status = .suspended("invalid signature")
                try record(.refused, board, message, signature, parsed.leafIndices, note: "\(result)")
                throw .invalidSignature(board: board, reason: "\(result)")
            }
        }
        let q = parsed.topLeafIndex
        if let shares, shares.owner(of: q) != .board(board) {
            members[board]?.status = .suspended("signed outside its share")
            try record(.refused, board, message, signature, parsed.leafIndices, note: "outside the board's share")
            throw .outsideShare(board: board, q: q, share: shares.range(of: board))
        }
        try record(.signature, board, message, signature, parsed.leafIndices, note: nil)
        var member = members[board]!
        member.signatures += 1
        // The top-level leaf in a signature signed the current level-1 tree; the board's
        // next unused top-level leaf is the one after it.
        member.next = max(member.next ?? 0, q + 1)
        members[board] = member
        options.logger.info("signed", metadata: ["share.board": "\(board)", "share.q": "\(q)"])
        return PoolSignature(signature: signature, board: board, topLeafIndex: q, leafIndices: parsed.leafIndices, skipped: skipped)
    }

    /// The next board to ask: available ones by the selection rule; unreachable ones only when
    /// no available one is left.
    private func choose(excluding tried: Set<BoardName>) -> BoardName? {
        let candidates = members.values.filter { !tried.contains($0.board) }
        let available = candidates.filter { $0.status == .available }
        if let best = order(available).first { return best }
        let unreachable = candidates.filter { if case .unreachable = $0.status { return true } else { return false } }
        return order(unreachable).first
    }

    private func order(_ members: [Member]) -> [BoardName] {
        switch options.selection {
        case .mostRemaining:
            return members.sorted { a, b in
                let ra = a.remaining ?? 0
                let rb = b.remaining ?? 0
                return ra != rb ? ra > rb : a.board < b.board
            }.map(\.board)
        case .priority(let list):
            let rank = Dictionary(list.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
            return members.sorted { a, b in
                let ra = rank[a.board] ?? Int.max
                let rb = rank[b.board] ?? Int.max
                return ra != rb ? ra < rb : a.board < b.board
            }.map(\.board)
        }
    }

    private func record(_ kind: SignatureJournal.Entry.Kind, _ board: BoardName, _ message: [UInt8], _ signature: [UInt8]?,
                        _ indices: [UInt32]?, note: String?) throws(SignerPoolError) {
        guard let journal else { return }
        do {
            try journal.record(kind: kind, board: board, message: message, signature: signature, leafIndices: indices, note: note)
        } catch {
            throw .journal("\(error)")
        }
    }
}
