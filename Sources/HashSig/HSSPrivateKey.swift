import Synchronization

extension HSS {
    /// An HSS private key: L trees, each lower tree's public key signed by the tree above it
    /// (RFC 8554 §6.1), and the signing state of every level.
    ///
    /// The top tree (level 0) comes from the caller's choice of random or SEED-derived one-time
    /// keys and may be restricted to a share of its leaves. Lower trees are local and
    /// replaceable: each is generated from fresh randomness (a random I and a random private SEED
    /// used with the Appendix A derivation, which keeps the key small enough to store and is, to
    /// anyone without that SEED, the same as independent random values). When a lower tree runs
    /// out, signing replaces it and the level above signs the new one, consuming one of its
    /// leaves (RFC 8554 §6.2).
    ///
    /// A reference type for the same reason as ``LMS/PrivateKey``, and thread-safe like it:
    /// signatures are made one at a time under an internal lock.
    public final class PrivateKey: @unchecked Sendable {
        /// The HSS public key: L and the top tree's public key.
        public let publicKey: PublicKey
        /// The parameter sets of each level, top first.
        public let levelParameters: [LMS.Parameters]
        /// Everything that changes as lower trees are replaced, behind one lock.
        private let state: Mutex<Levels>

        private struct Levels {
            /// The trees of each level, top first.
            var trees: [LMS.PrivateKey]
            /// For level i ≥ 1 (at index i - 1): level i's public key signed by level i - 1.
            var signedPublicKeys: [Signature.SignedPublicKey]
        }

        /// The trees of each level, top first.
        var trees: [LMS.PrivateKey] { state.withLock { $0.trees } }
        /// The signatures over the lower trees' public keys.
        var signedPublicKeys: [Signature.SignedPublicKey] { state.withLock { $0.signedPublicKeys } }

        /// Runs `body` on the trees and signatures with no signature in progress.
        func withLockedState<R: Sendable>(_ body: ([LMS.PrivateKey], [Signature.SignedPublicKey]) -> R) -> R {
            state.withLock { body($0.trees, $0.signedPublicKeys) }
        }

        /// Generates a new key of `levels.count` levels.
        ///
        /// Synchronous: builds every tree on all cores before returning (about 30 ms per H10/W4
        /// tree on two cores).
        /// - Parameters:
        ///   - levels: the parameter sets of each level, top first; 1 to 8 of them.
        ///   - topKeys: random one-time keys, or keys derived from a SEED (exportable keys).
        ///   - topLeafRange: the top tree's leaves this key may use; all 2^h if nil.
        /// - Throws: ``HashSigError/levelCountOutOfRange(_:)``,
        ///   ``HashSigError/invalidLeafRange(start:end:next:)``,
        ///   ``HashSigError/keyExhausted`` for an empty top range with L > 1,
        ///   ``HashSigError/randomGeneratorFailure(errorCode:)``.
        public static func generate(levels: [LMS.Parameters], topKeys: LMS.KeyGeneration = .random,
                                    topLeafRange: Range<UInt32>? = nil) throws(HashSigError) -> PrivateKey {
            guard HSS.levelRange.contains(levels.count) else {
                throw .levelCountOutOfRange(UInt32(levels.count))
            }
            let random = SystemRandom()
            let top = try LMS.PrivateKey.generate(parameters: levels[0], keys: topKeys, leafRange: topLeafRange,
                                                  random: random)
            return try PrivateKey(topTree: top, lowerLevels: Array(levels.dropFirst()), random: random)
        }

        /// Makes a key over an existing top tree with new lower levels, each signed by the level
        /// above: on import of a share (after rebuilding the top tree from its SEED) and on
        /// restart (lower trees are never stored). With L > 1 this consumes one top-level leaf;
        /// persist the top tree's next index before releasing any signature.
        ///
        /// Synchronous: builds the lower trees before returning.
        /// - Throws: ``HashSigError/levelCountOutOfRange(_:)``, ``HashSigError/keyExhausted`` if
        ///   the top tree has no leaf left to sign the level below,
        ///   ``HashSigError/randomGeneratorFailure(errorCode:)``.
        public convenience init(topTree: LMS.PrivateKey, lowerLevels: [LMS.Parameters]) throws(HashSigError) {
            try self.init(topTree: topTree, lowerLevels: lowerLevels, random: SystemRandom())
        }

        convenience init(topTree: LMS.PrivateKey, lowerLevels: [LMS.Parameters],
                         random: some RandomSource) throws(HashSigError) {
            guard HSS.levelRange.contains(lowerLevels.count + 1) else {
                throw .levelCountOutOfRange(UInt32(clamping: lowerLevels.count + 1))
            }
            // Fail before building lower trees that the top could not sign.
            guard lowerLevels.isEmpty || !topTree.isExhausted else { throw .keyExhausted }
            var trees = [topTree]
            for parameters in lowerLevels {
                trees.append(try Self.makeLowerTree(parameters, random: random))
            }
            try self.init(trees: trees, random: random)
        }

        /// Makes a key from complete trees, the lower ones signed now by their parents with the
        /// parents' next leaves.
        convenience init(trees: [LMS.PrivateKey], random: some RandomSource) throws(HashSigError) {
            var signed: [Signature.SignedPublicKey] = []
            for level in trees.indices.dropFirst() {
                let signature = try trees[level - 1].sign(trees[level].publicKey.bytes, random: random)
                signed.append(Signature.SignedPublicKey(signature: signature, publicKey: trees[level].publicKey))
            }
            try self.init(trees: trees, signedPublicKeys: signed)
        }

        /// Makes a key from trees and the signatures already made over the lower ones (reload).
        init(trees: [LMS.PrivateKey], signedPublicKeys: [Signature.SignedPublicKey]) throws(HashSigError) {
            precondition(signedPublicKeys.count == trees.count - 1)
            self.state = Mutex(Levels(trees: trees, signedPublicKeys: signedPublicKeys))
            self.levelParameters = trees.map(\.parameters)
            self.publicKey = try PublicKey(levels: trees.count, topPublicKey: trees[0].publicKey)
        }

        private static func makeLowerTree(_ parameters: LMS.Parameters,
                                          random: some RandomSource) throws(HashSigError) -> LMS.PrivateKey {
            try LMS.PrivateKey.generate(parameters: parameters, keys: .seed(LMS.Seed.random(from: random)),
                                        leafRange: nil, random: random)
        }

        /// L, the number of levels.
        public var levels: Int { levelParameters.count }

        /// The top tree (level 0): its leaf range, next index and SEED. Narrowing its range (for
        /// export) narrows this key's.
        public var topTree: LMS.PrivateKey { trees[0] }

        /// The next leaf index of every level and the top tree's range. Persist it (or the full
        /// ``serializedRepresentation``) before releasing a signature.
        public var signingState: SigningState {
            state.withLock { levels in
                let top = levels.trees[0].rangeAndNextIndex
                return SigningState(nextLeafIndices: [top.next] + levels.trees.dropFirst().map(\.nextLeafIndex),
                                    topLeafRange: top.range)
            }
        }

        /// Whether no signature can be made: every level is used up, up to the top.
        public var isExhausted: Bool { state.withLock { $0.trees.allSatisfy(\.isExhausted) } }

        /// Signs `message` (RFC 8554 §6.2).
        ///
        /// When the bottom tree is used up, the used-up lower trees are replaced by new ones, each
        /// signed by the level above (consuming a leaf there). All index changes happen before the
        /// signature exists: persist ``signingState`` (or ``serializedRepresentation``) before
        /// releasing it.
        /// - Throws: ``HashSigError/keyExhausted`` if every level is used up (nothing changes then),
        ///   ``HashSigError/randomGeneratorFailure(errorCode:)``.
        public func sign(_ message: some Collection<UInt8>) throws(HashSigError) -> Signature {
            try sign(message, random: SystemRandom())
        }

        func sign(_ message: some Collection<UInt8>, random: some RandomSource) throws(HashSigError) -> Signature {
            try state.withLock { levels throws(HashSigError) -> Signature in
                guard let usable = levels.trees.lastIndex(where: { !$0.isExhausted }) else { throw .keyExhausted }
                for level in (usable + 1)..<levels.trees.count {
                    let tree = try Self.makeLowerTree(levels.trees[level].parameters, random: random)
                    let signature = try levels.trees[level - 1].sign(tree.publicKey.bytes, random: random)
                    levels.trees[level] = tree
                    levels.signedPublicKeys[level - 1] = Signature.SignedPublicKey(signature: signature,
                                                                                   publicKey: tree.publicKey)
                }
                let messageSignature = try levels.trees[levels.trees.count - 1].sign(message, random: random)
                return Signature(unchecked: levels.signedPublicKeys, messageSignature)
            }
        }
    }
}
