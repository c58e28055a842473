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
    /// root check on import (docs/wire-protocol.md §8.7), and the weaknesses of §13 items 19-21: handles
    /// any client may use, numbered predictably, no login needed to sign or export, LOGOUT_ALL
    /// for anyone, LOGOUT releasing no handles. Tests use it to show what a stock board lets
    /// through and what the muxd must stop for it.
    case reference

    /// The switches this firmware sets.
    public var behaviour: FirmwareBehaviour {
        switch self {
        case .sx1: FirmwareBehaviour(every: true)
        case .reference: FirmwareBehaviour(every: false)
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

    /// A hashsig export with a share count is two-phase: the share (its range and the SHA-256
    /// of the KEKEK's public key) is stored *pending* with the source's shrunken range, before
    /// the reply; the same request again (same KEKEK, same count) is answered with a fresh
    /// wrapping of that share, any other export of the key is refused (26) while it is
    /// pending, and the pending attribute `0x43540004` shows it until the host confirms the
    /// blob is stored by setting that attribute to the share's range. A lost reply then costs
    /// nothing: the host asks again.
    ///
    /// Off (reference, and SX1 without two-phase): once the source has shrunk its range, the
    /// reply in flight is the share's only copy; lost, the share is burned.
    public var holdsExportsPending: Bool

    /// A hashsig key's top tree rebuilt from its SEED over its range must reach the record's
    /// root T1, on PKEY_IMPORT / PKEY_LOAD (else 17) and at start-up (else the key stays
    /// unusable), so a share that does not belong to its public key is refused.
    ///
    /// Off (reference, docs/wire-protocol.md §8.7 step 4 [REF BUG]): such a share is accepted, survives
    /// restarts, and signs with leaves that do not verify under its public key.
    public var importChecksRoot: Bool

    /// A handle (pkey: LOAD, OPEN, GENERATE_*, IMPORT; hash: HASH_INITIALIZE) belongs to the
    /// client word that opened it: a request from another client word naming it is answered
    /// exactly as for a handle that does not exist (pkey 21, PKEY_GET_PUBLIC_KEY_LEN status 0
    /// with length 0; hash 1), so another client can neither use it nor learn that it exists.
    ///
    /// Off (reference, docs/wire-protocol.md §13.19): possession of a handle value is the only check;
    /// any client signs, exports, reads or deletes with any other client's handle.
    public var bindsHandlesToClient: Bool

    /// PKEY_SIGN, PKEY_EXPORT, PKEY_DELETE and PKEY_SET_ATTRIBUTES need the *caller* (the
    /// request's client word) logged in as NORMAL or WHEEL, else 26; a key with PUBLIC and not
    /// TOKEN stays usable without login (the `writable(flags)` rule of docs/wire-protocol.md §4.2), so a
    /// handle alone never spends a hashsig leaf or lets a key leave the board.
    ///
    /// Off (reference, §4.2, §6): SIGN and EXPORT need no login at all; DELETE and
    /// SET_ATTRIBUTES judge `writable` for the client that opened the handle, whoever asks.
    public var checksCallerLogin: Bool

    /// Handle values are unpredictable: 31 random bits from the system's cryptographic
    /// generator, the top bit still the token-key flag (pkey) or the HMAC flag (hash) of
    /// docs/wire-protocol.md §5.2, so a client still tells them apart; never 0, never one already open.
    /// Guessing another client's handle is then hopeless even where nothing else checks it.
    ///
    /// Off (reference, §5.2, §13.19): slot index | counter << 16, the first token key of a
    /// fresh board `0x80010000` — the numbers golden vectors and traces of real boards show.
    public var unpredictableHandles: Bool

    /// LOGOUT_ALL needs the caller logged in as WHEEL or SO, else 26, so a client cannot log
    /// every other client out.
    ///
    /// Off (reference, §13.21): LOGOUT_ALL needs no login.
    public var logoutAllNeedsOfficer: Bool

    /// LOGOUT releases every pkey and hash handle the caller opened (client word 0, shared by
    /// every client that does not pick one, keeps its handles), so a client word reused later
    /// inherits nothing and the board's 256 / 32 / 16 slots come back.
    ///
    /// Off (reference, §6 [REF BUG], §13.20): LOGOUT releases no handles at all (the firmware
    /// compares the wrong field); they stay open until closed, finalized or the board restarts.
    public var logoutReleasesHandles: Bool

    /// After a wrong PIN the pause before the board checks another PIN (for any client) doubles
    /// with each consecutive wrong PIN, from `--wrong-pin-delay` up to 64 times it, until a
    /// correct PIN resets it: guessing slows down the longer it goes on.
    ///
    /// Off (reference, §6, §13.22): the pause is always `--wrong-pin-delay` (the board's fixed
    /// 5 s), with no lockout. In both personalities PINs are checked one at a time board-wide
    /// and the pause holds back every further LOGIN, whichever client sends it, as the
    /// reference's single worker sleeping 5 s does; unlike the board, requests other than LOGIN
    /// (and the console's login prompt) are not held up by it.
    public var pinBackOffDoubles: Bool

    /// Sets each switch by name, for a test that needs a personality between the two firmwares;
    /// each parameter is the property of the same name.
    public init(
        reportsRangeAttributes: Bool, honoursShareCount: Bool, holdsExportsPending: Bool, importChecksRoot: Bool,
        bindsHandlesToClient: Bool, checksCallerLogin: Bool, unpredictableHandles: Bool, logoutAllNeedsOfficer: Bool, logoutReleasesHandles: Bool,
        pinBackOffDoubles: Bool
    ) {
        self.reportsRangeAttributes = reportsRangeAttributes
        self.honoursShareCount = honoursShareCount
        self.holdsExportsPending = holdsExportsPending
        self.importChecksRoot = importChecksRoot
        self.bindsHandlesToClient = bindsHandlesToClient
        self.checksCallerLogin = checksCallerLogin
        self.unpredictableHandles = unpredictableHandles
        self.logoutAllNeedsOfficer = logoutAllNeedsOfficer
        self.logoutReleasesHandles = logoutReleasesHandles
        self.pinBackOffDoubles = pinBackOffDoubles
    }

    /// Every switch set to `value`: `true` is SX1, `false` the reference firmware.
    public init(every value: Bool) {
        self.init(
            reportsRangeAttributes: value, honoursShareCount: value, holdsExportsPending: value, importChecksRoot: value,
            bindsHandlesToClient: value, checksCallerLogin: value, unpredictableHandles: value, logoutAllNeedsOfficer: value, logoutReleasesHandles: value,
            pinBackOffDoubles: value)
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
            keyPath: \.holdsExportsPending, name: "two-phase export",
            sx1: "a share stays pending (0x43540004) until confirmed; the same request wraps it again",
            reference: "a share whose export reply is lost is burned"),
        Difference(
            keyPath: \.importChecksRoot, name: "root check",
            sx1: "a share whose rebuilt top tree does not reach its root T1 is refused (17)",
            reference: "such a share is accepted and signs with leaves that do not verify"),
        Difference(
            keyPath: \.bindsHandlesToClient, name: "handle binding",
            sx1: "a pkey or hash handle works only for the client word that opened it",
            reference: "any client may use any handle value"),
        Difference(
            keyPath: \.checksCallerLogin, name: "caller login",
            sx1: "SIGN, EXPORT, DELETE, SET_ATTRIBUTES need the caller's login (PUBLIC volatile keys: none)",
            reference: "SIGN, EXPORT need no login; DELETE, SET_ATTRIBUTES judge the handle's opener"),
        Difference(
            keyPath: \.unpredictableHandles, name: "handle values",
            sx1: "random handle numbers (top bit: token key / HMAC)",
            reference: "slot | counter << 16, the first token key 0x80010000"),
        Difference(
            keyPath: \.logoutAllNeedsOfficer, name: "LOGOUT_ALL",
            sx1: "needs the caller logged in as WHEEL or SO (else 26)",
            reference: "needs no login"),
        Difference(
            keyPath: \.logoutReleasesHandles, name: "logout cleanup",
            sx1: "LOGOUT releases the caller's pkey and hash handles",
            reference: "LOGOUT releases no handles"),
        Difference(
            keyPath: \.pinBackOffDoubles, name: "PIN back-off",
            sx1: "the pause after a wrong PIN doubles per consecutive one, up to 64x --wrong-pin-delay",
            reference: "the pause is always --wrong-pin-delay (both: one PIN check at a time, board-wide)"),
    ]

    /// The differences as `--help` shows them: per switch, its name, then one line per
    /// firmware.
    public static var differencesText: String {
        differences.map { "  \($0.name)\n    sx1: \($0.sx1)\n    reference: \($0.reference)" }.joined(separator: "\n")
    }
}
