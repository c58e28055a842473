import Synchronization

extension LMS {
    /// How a new tree's LM-OTS private values are made.
    public enum KeyGeneration: Sendable {
        /// Each x_q[i] drawn from OpenSSL's private DRBG and kept (RFC 8554 §4.2): 2^h·p·32 bytes,
        /// 2.1 MiB for H10/W4. The key can never be rebuilt elsewhere.
        case random
        /// Derived from a SEED (RFC 8554 Appendix A), so that (types, I, SEED) rebuild the tree.
        case seed(Seed)
    }

    /// An LMS private key: one tree with its one-time keys, its authentication-path nodes and its
    /// signing state.
    ///
    /// A reference type on purpose: a copy of a stateful key would sign again with one-time keys
    /// already used, so every holder shares one state. Thread-safe: an internal lock serialises
    /// signing and the range and index changes, so the key can be built off an actor (for
    /// example in a detached task) and shared.
    ///
    /// Only leaves in ``leafRange`` (a share of the tree) are used for signing, but the root is
    /// always computed over all 2^h leaves.
    public final class PrivateKey: @unchecked Sendable {
        /// The tree's parameter sets.
        public let parameters: Parameters
        /// I, the tree's 16-byte identifier.
        public let identifier: [UInt8]
        /// The tree's public key.
        public let publicKey: PublicKey
        /// [qStart, qEnd): the leaves this key may sign with.
        public var leafRange: Range<UInt32> { state.withLock { $0.leafRange } }
        /// q of the next unused leaf; equals `leafRange.upperBound` when exhausted.
        public var nextLeafIndex: UInt32 { state.withLock { $0.nextLeafIndex } }

        let context: TreeContext
        /// Everything that changes, behind one lock.
        private let state: Mutex<State>

        private struct State {
            var leafRange: Range<UInt32>
            var nextLeafIndex: UInt32
            var tree: MerkleTree
        }

        /// The tree (for tests).
        var tree: MerkleTree { state.withLock { $0.tree } }

        /// Rebuilds a tree from its SEED (RFC 8554 Appendix A), for example on import of a share.
        ///
        /// Synchronous: builds all 2^h leaves on every core before returning (about 30 ms for
        /// H10/W4 on two cores). From async code, call it where blocking a thread for that long is
        /// acceptable.
        /// - Parameters:
        ///   - parameters: the LMS and LM-OTS parameter sets the tree was made with.
        ///   - identifier: the tree's I, 16 bytes.
        ///   - seed: the SEED every private value derives from.
        ///   - leafRange: the leaves this key may use; all 2^h if nil.
        ///   - nextLeafIndex: the next unused leaf; `leafRange.lowerBound` if nil.
        /// - Throws: ``HashSigError/invalidLength(_:expected:actual:)`` for an I that is not 16 bytes,
        ///   ``HashSigError/invalidLeafRange(start:end:next:)`` for a range past 2^h or a next
        ///   index outside it.
        public convenience init(parameters: Parameters, identifier: [UInt8], seed: Seed,
                                leafRange: Range<UInt32>? = nil, nextLeafIndex: UInt32? = nil) throws(HashSigError) {
            try self.init(parameters: parameters, identifier: identifier, material: .seed(seed),
                          leafRange: leafRange, nextLeafIndex: nextLeafIndex, storedFloor: nil)
        }

        init(parameters: Parameters, identifier: [UInt8], material: LMOTSKeyMaterial,
             leafRange: Range<UInt32>?, nextLeafIndex: UInt32?, storedFloor: Int?) throws(HashSigError) {
            try checkLength(identifier, LMOTS.identifierLength, .identifier)
            let range = leafRange ?? 0..<parameters.lmsType.leafCount
            let next = nextLeafIndex ?? range.lowerBound
            guard range.upperBound <= parameters.lmsType.leafCount,
                  range.contains(next) || next == range.upperBound else {
                throw .invalidLeafRange(start: range.lowerBound, end: range.upperBound, next: next)
            }
            if case .values(let values) = material {
                let needed = Int(parameters.lmsType.leafCount) * parameters.lmotsType.p * parameters.lmotsType.n
                guard values.count == needed else {
                    throw .invalidLength(.privateValues, expected: needed, actual: values.count)
                }
            }
            self.parameters = parameters
            self.identifier = identifier
            let context = TreeContext(parameters: parameters, identifier: identifier, material: material)
            let tree = MerkleTree(context: context, storedFloor: storedFloor)
            self.context = context
            self.state = Mutex(State(leafRange: range, nextLeafIndex: next, tree: tree))
            self.publicKey = try PublicKey(lmsType: parameters.lmsType, lmotsType: parameters.lmotsType,
                                           identifier: identifier, root: tree.root)
        }

        /// Generates a new tree with a random I.
        ///
        /// Synchronous, like ``init(parameters:identifier:seed:leafRange:nextLeafIndex:)``.
        /// - Parameters:
        ///   - parameters: the LMS and LM-OTS parameter sets.
        ///   - keys: random private values, or derivation from a SEED (for exportable keys).
        ///   - leafRange: the leaves this key may use; all 2^h if nil.
        /// - Throws: ``HashSigError/randomGeneratorFailure(errorCode:)``,
        ///   ``HashSigError/invalidLeafRange(start:end:next:)``.
        public static func generate(parameters: Parameters, keys: KeyGeneration = .random,
                                    leafRange: Range<UInt32>? = nil) throws(HashSigError) -> PrivateKey {
            try generate(parameters: parameters, keys: keys, leafRange: leafRange, random: SystemRandom())
        }

        static func generate(parameters: Parameters, keys: KeyGeneration, leafRange: Range<UInt32>?,
                             random: some RandomSource) throws(HashSigError) -> PrivateKey {
            let identifier = try random.publicBytes(LMOTS.identifierLength)
            let material: LMOTSKeyMaterial
            switch keys {
            case .seed(let seed):
                material = .seed(seed)
            case .random:
                let count = Int(parameters.lmsType.leafCount) * parameters.lmotsType.p * parameters.lmotsType.n
                material = .values(try SecretBytes(randomCount: count, from: random))
            }
            return try PrivateKey(parameters: parameters, identifier: identifier, material: material,
                                  leafRange: leafRange, nextLeafIndex: nil, storedFloor: nil)
        }

        /// The SEED the one-time keys derive from, or nil for random private values.
        public var seed: Seed? {
            if case .seed(let seed) = context.material { return seed }
            return nil
        }

        /// Leaves left to sign with.
        public var remainingLeaves: UInt32 { state.withLock { $0.leafRange.upperBound - $0.nextLeafIndex } }

        /// Whether every leaf of the range is used.
        public var isExhausted: Bool { state.withLock { $0.nextLeafIndex >= $0.leafRange.upperBound } }

        /// Signs `message` with the next leaf (RFC 8554 §5.4.1), advancing ``nextLeafIndex``
        /// before the signature exists. Persist the new index before releasing the signature.
        ///
        /// Cost: about p·2^(w-1) hashes (~500 for W4), plus a subtree rebuild for trees above H15
        /// when signing enters a new bottom subtree.
        /// - Throws: ``HashSigError/keyExhausted``, ``HashSigError/randomGeneratorFailure(errorCode:)``.
        public func sign(_ message: some Collection<UInt8>) throws(HashSigError) -> Signature {
            try sign(message, random: SystemRandom())
        }

        func sign(_ message: some Collection<UInt8>, random: some RandomSource) throws(HashSigError) -> Signature {
            try state.withLock { state throws(HashSigError) -> Signature in
                guard state.nextLeafIndex < state.leafRange.upperBound else { throw .keyExhausted }
                let q = state.nextLeafIndex
                // The index moves on first, so that no failure below can leave q reusable
                // (RFC 8554 §5.2: a private key must never sign with the same leaf twice).
                state.nextLeafIndex += 1
                let randomizer = try random.publicBytes(parameters.lmotsType.n)
                return signature(leaf: q, randomizer: randomizer, message: message, tree: &state.tree)
            }
        }

        /// The LMS signature of `message` by leaf q with randomizer C; no index change.
        func signature(leaf q: UInt32, randomizer: [UInt8], message: some Collection<UInt8>) -> Signature {
            state.withLock { signature(leaf: q, randomizer: randomizer, message: message, tree: &$0.tree) }
        }

        /// The signature itself, with the state's lock held by the caller (the tree keeps a
        /// cache of authentication-path nodes).
        private func signature(leaf q: UInt32, randomizer: [UInt8], message: some Collection<UInt8>,
                               tree: inout MerkleTree) -> Signature {
            let type = parameters.lmotsType
            var chainValues = [UInt8](repeating: 0, count: type.p * type.n)
            let context = self.context
            withContiguousBytes(message) { messageBytes in
                chainValues.withUnsafeMutableBytes { y in
                    Workspace.with { workspace in
                        // RFC 8554 §4.5 Algorithm 3.
                        context.prepare(workspace)
                        workspace.setLeafIndex(q)
                        randomizer.withUnsafeBytes {
                            workspace.hashMessage(randomizer: $0.baseAddress!, message: messageBytes, type: type)
                        }
                        context.signChains(leaf: q, workspace, into: y.baseAddress!)
                    }
                }
            }
            let lmots = LMOTS.Signature(unchecked: type, randomizer, chainValues)
            let path = tree.authenticationPath(leaf: q, context: context)
            return Signature(unchecked: q, lmots, parameters.lmsType, path)
        }

        /// Shrinks the leaf range to end at `end`, for exporting the leaves above it.
        /// - Throws: ``HashSigError/invalidLeafRange(start:end:next:)`` unless
        ///   ``nextLeafIndex`` ≤ `end` ≤ the current end: a range can only shrink, and never below
        ///   a leaf already used.
        public func narrowLeafRange(toEnd end: UInt32) throws(HashSigError) {
            try state.withLock { state throws(HashSigError) in
                guard end >= state.nextLeafIndex, end <= state.leafRange.upperBound else {
                    throw .invalidLeafRange(start: state.leafRange.lowerBound, end: end, next: state.nextLeafIndex)
                }
                state.leafRange = state.leafRange.lowerBound..<end
            }
        }

        /// Moves the next leaf index forward to `index`, as when restoring a persisted state.
        /// - Throws: ``HashSigError/invalidLeafRange(start:end:next:)`` if `index` is behind the
        ///   current index (that would re-issue one-time keys) or past the range's end.
        public func advance(toLeafIndex index: UInt32) throws(HashSigError) {
            try state.withLock { state throws(HashSigError) in
                guard index >= state.nextLeafIndex, index <= state.leafRange.upperBound else {
                    throw .invalidLeafRange(start: state.leafRange.lowerBound, end: state.leafRange.upperBound,
                                            next: index)
                }
                state.nextLeafIndex = index
            }
        }

        /// The range and next index read together, consistently.
        var rangeAndNextIndex: (range: Range<UInt32>, next: UInt32) {
            state.withLock { ($0.leafRange, $0.nextLeafIndex) }
        }
    }
}

extension LMOTS.Signature {
    init(unchecked type: LMOTSType, _ randomizer: [UInt8], _ chainValues: [UInt8]) {
        self.type = type
        self.randomizer = randomizer
        self.chainValues = chainValues
    }
}
