import HashSig

/// Checks a stream of signatures made under one HSS public key by several boards: verifies
/// each, maps its top-level leaf index to the board whose share holds it, and flags indices
/// outside every share, boards signing outside their own share, and one-time keys that signed
/// two different things.
///
/// One-time-key reuse is checked at every level, not only by top-level index: with L > 1 every
/// signature made under the same level-1 tree carries the same top-level signature (same q,
/// same bytes), which is correct; reuse is the same one-time key (tree I, leaf q) over
/// *different* content.
public struct SignatureAuditor: Sendable {
    /// One signature to audit.
    public struct Item: Sendable {
        /// How the report names it (a file name, a journal line).
        public var name: String
        /// The message as signed.
        public var message: [UInt8]
        /// The HSS signature, as RFC 8554 encodes it.
        public var signature: [UInt8]
        /// The board that made it, when known.
        public var board: BoardName?
        /// The signer pool refused it and never handed it out (a journal's `refused` entry).
        public var refusedByPool: Bool

        /// - Parameters:
        ///   - name: how the report names it.
        ///   - message: the message as signed.
        ///   - signature: the HSS signature.
        ///   - board: the board that made it, when known.
        ///   - refusedByPool: the signer pool refused it and never handed it out.
        public init(name: String, message: [UInt8], signature: [UInt8], board: BoardName? = nil, refusedByPool: Bool = false) {
            self.name = name
            self.message = message
            self.signature = signature
            self.board = board
            self.refusedByPool = refusedByPool
        }
    }

    /// Counts per board.
    public struct BoardTally: Hashable, Sendable, Codable {
        /// Valid signatures whose top-level leaf is in this board's share.
        public var signatures = 0
        /// The lowest top-level leaf index among them.
        public var lowestIndex: UInt32?
        /// The highest top-level leaf index among them.
        public var highestIndex: UInt32?
    }

    /// The HSS public key every signature must verify under.
    public let publicKey: HSS.PublicKey
    /// Which board owns each top-level leaf, from the ledger.
    public let shares: ShareMap
    /// How signatures are verified (in software, or by a board's hash cores).
    public let policy: VerificationPolicy

    /// Signatures audited so far.
    public private(set) var audited = 0
    /// Of those, signatures that verified.
    public private(set) var valid = 0
    /// Everything found so far, alarms and notes, in the order found.
    public private(set) var findings: [AuditFinding] = []
    /// Counts per board that owns the signatures' leaves.
    public private(set) var tallies: [BoardName: BoardTally] = [:]
    /// (level, I, q) → (what it signed, first item).
    private var oneTimeKeys: [OneTimeKey: (content: SHA256Digest, item: String)] = [:]
    private var signatures: [SHA256Digest: String] = [:]

    private struct OneTimeKey: Hashable {
        var level: Int
        var identifier: [UInt8]
        var q: UInt32
    }

    /// - Parameters:
    ///   - publicKey: the key the signatures are made under.
    ///   - shares: the owners of the top-level leaves.
    ///   - policy: how signatures are verified; in software unless given.
    public init(publicKey: HSS.PublicKey, shares: ShareMap, policy: VerificationPolicy = .software) {
        self.publicKey = publicKey
        self.shares = shares
        self.policy = policy
    }

    /// Whether nothing alarming was found.
    public var isClean: Bool { !findings.contains(where: \.isAlarm) }

    /// Records an event that is not a signature (an indeterminate sign from the pool).
    public mutating func note(_ finding: AuditFinding) {
        findings.append(finding)
    }

    /// Audits one signature.
    /// - Returns: the signature's top-level leaf index when it verifies.
    /// - Throws: only what the verification engine throws (a board that went away).
    @discardableResult
    public mutating func audit(_ item: Item) async throws -> UInt32? {
        audited += 1
        let signature: HSS.Signature
        let result: VerificationResult
        do {
            signature = try HSS.Signature(bytes: item.signature)
            result = try await policy.verify(signature: item.signature, message: item.message, publicKey: publicKey)
        } catch let error as HashSigError {
            findings.append(item.refusedByPool ? .refusedUnverified(item: item.name, board: item.board, reason: "\(error)")
                                               : .malformed(item: item.name, reason: "\(error)"))
            return nil
        }
        guard case .valid = result else {
            if case .invalid(let reason) = result {
                findings.append(item.refusedByPool ? .refusedUnverified(item: item.name, board: item.board, reason: "\(reason)")
                                                   : .invalid(item: item.name, reason: reason))
            }
            return nil
        }
        valid += 1
        let whole = SHA256Digest(of: item.signature + SHA256Digest(of: item.message).bytes)
        if let first = signatures[whole] {
            findings.append(.repeatedSignature(item: item.name, first: first))
            return signature.topLeafIndex
        }
        signatures[whole] = item.name
        checkReuse(signature, message: item.message, item: item.name)

        let q = signature.topLeafIndex
        switch shares.owner(of: q) {
        case nil:
            findings.append(.outsideEveryShare(item: item.name, q: q))
        case .board(let owner)?:
            if let signer = item.board, signer != owner {
                findings.append(.signedOutsideOwnShare(item: item.name, signer: signer, q: q, owner: owner))
            }
            tally(owner, q)
        case let other?:
            findings.append(.unheldRange(item: item.name, q: q, owner: other))
        }
        return q
    }

    private mutating func checkReuse(_ signature: HSS.Signature, message: [UInt8], item: String) {
        var identifier = publicKey.topPublicKey.identifier
        let contents = signature.signedPublicKeys.map(\.publicKey.bytes) + [SHA256Digest(of: message).bytes]
        for (level, lms) in signature.lmsSignatures.enumerated() {
            let key = OneTimeKey(level: level, identifier: identifier, q: lms.leafIndex)
            let content = SHA256Digest(of: lms.bytes + contents[level])
            if let seen = oneTimeKeys[key] {
                if seen.content != content {
                    findings.append(.oneTimeKeyReused(item: item, first: seen.item, level: level,
                                                      identifier: identifier, q: lms.leafIndex))
                }
            } else {
                oneTimeKeys[key] = (content, item)
            }
            if level < signature.signedPublicKeys.count {
                identifier = signature.signedPublicKeys[level].publicKey.identifier
            }
        }
    }

    private mutating func tally(_ board: BoardName, _ q: UInt32) {
        var tally = tallies[board] ?? BoardTally()
        tally.signatures += 1
        tally.lowestIndex = min(tally.lowestIndex ?? q, q)
        tally.highestIndex = max(tally.highestIndex ?? q, q)
        tallies[board] = tally
    }
}
