/// Which firmware the software Alpha behaves as (`cryptech-emulator --firmware`).
///
/// Boards in the field run the reference firmware; this project's host features must work
/// against both it and SX1 (design.md, "Two firmwares, one host"). Every deliberate difference
/// between the two is one switch of ``FirmwareBehaviour``, and only those switches are
/// consulted by the handlers, so that struct is the whole story.
public enum Firmware: String, Sendable, Hashable, CaseIterable {
    /// The reference firmware plus the share-export extension (design.md, "Share-export
    /// extension (SX1)"): exact share counts and the range attributes.
    case sx1
    /// The stock Cryptech firmware: hashsig export only by bisection, no range attributes, no
    /// root check on import (rpc-wire.md §8.7).
    case reference

    /// The switches this firmware sets.
    public var behaviour: FirmwareBehaviour {
        switch self {
        case .sx1: FirmwareBehaviour(reportsRangeAttributes: true, honoursShareCount: true, importChecksRoot: true)
        case .reference: FirmwareBehaviour(reportsRangeAttributes: false, honoursShareCount: false, importChecksRoot: false)
        }
    }
}

/// Every deliberate difference between the emulator's firmware personalities, one `Bool` each:
/// `true` is SX1's behaviour, `false` the reference firmware's.
public struct FirmwareBehaviour: Sendable, Hashable {
    /// PKEY_GET_ATTRIBUTES of a hashsig private key answers the read-only vendor types
    /// `0x43540001`…`3` (next q, qStart, qEnd of the top tree) and PKEY_SET_ATTRIBUTES of them
    /// is refused with 26, so a host reads a board's range instead of guessing it.
    ///
    /// Off (reference): they are ordinary attributes, as on stock firmware: absent until set
    /// (length 0 in a length query, 40 for a value, 40 for any query on a key without
    /// attributes), and a PKEY_SET_ATTRIBUTES of them is stored and read back like any other.
    /// A host must therefore not take such values from a board it does not know to be SX1.
    public var reportsRangeAttributes: Bool

    /// PKEY_EXPORT of a hashsig key honours a trailing `shareCount` (> 0: exactly the top
    /// `shareCount` leaves go) and, for a request that carried one, appends the share's range
    /// to the reply.
    ///
    /// Off (reference): the word is ignored as the reference ignores any trailing request
    /// bytes; the export always bisects and the reply has no range, so the host must learn the
    /// split another way (a probe signature, design.md).
    public var honoursShareCount: Bool

    /// A hashsig key's top tree rebuilt from its SEED over its range must reach the record's
    /// root T1, on PKEY_IMPORT / PKEY_LOAD (else 17) and at start-up (else the key stays
    /// unusable), so a share that does not belong to its public key is refused.
    ///
    /// Off (reference, rpc-wire.md §8.7 step 4 [REF BUG]): such a share is accepted, survives
    /// restarts, and signs with leaves that do not verify under its public key.
    public var importChecksRoot: Bool

    public init(reportsRangeAttributes: Bool, honoursShareCount: Bool, importChecksRoot: Bool) {
        self.reportsRangeAttributes = reportsRangeAttributes
        self.honoursShareCount = honoursShareCount
        self.importChecksRoot = importChecksRoot
    }

    /// One difference, for `--help` and for tests that check the list is complete.
    public struct Difference: Sendable {
        /// The switch.
        public let keyPath: KeyPath<FirmwareBehaviour, Bool> & Sendable
        /// A short name for it.
        public let name: String
        /// What SX1 does (the switch on), in one line.
        public let sx1: String
        /// What the reference firmware does instead (the switch off), in one line.
        public let reference: String
    }

    /// Every switch, in the order `--help` lists them.
    public static let differences: [Difference] = [
        Difference(
            keyPath: \.reportsRangeAttributes, name: "range attributes",
            sx1: "a hashsig key answers its next q, qStart, qEnd (0x43540001-3), read-only",
            reference: "those types are ordinary attributes, absent unless set"),
        Difference(
            keyPath: \.honoursShareCount, name: "share count",
            sx1: "PKEY_EXPORT gives exactly the top shareCount leaves and replies with their range",
            reference: "the shareCount word is ignored: export always bisects, the reply has no range"),
        Difference(
            keyPath: \.importChecksRoot, name: "root check",
            sx1: "a share whose rebuilt top tree does not reach its root T1 is refused (17)",
            reference: "such a share is accepted and signs with leaves that do not verify"),
    ]

    /// The differences as `--help` shows them: per switch, its name, then one line per
    /// firmware.
    public static var differencesText: String {
        differences.map { "  \($0.name)\n    sx1: \($0.sx1)\n    reference: \($0.reference)" }.joined(separator: "\n")
    }
}
