import HalRPC

/// A key as the keystore holds it: what the firmware keeps in a keystore block (docs/wire-protocol.md
/// §4.3, §5.2) — name, type, curve, flags, the key's DER and its attributes — plus who created
/// it, which decides the visibility of volatile keys (§6).
struct KeyRecord: Sendable {
    /// The key's UUID (random, version 4).
    let name: KeyName
    let type: KeyType
    let curve: Curve
    var flags: KeyFlags
    var material: StoredMaterial
    /// Attributes in storage order: setting one deletes the old entry and appends the new one
    /// (docs/wire-protocol.md §4.3 PKEY_SET_ATTRIBUTES).
    var attributes: [Attribute]
    /// The client handle that created the key.
    let owner: ClientHandle
    /// Keystore entries the key occupies: 1, or for a hashsig key its stored one-time keys
    /// plus its LMS and HSS records (docs/wire-protocol.md §8.4). Exports do not give entries back, as on
    /// the board.
    let entries: Int

    /// Whether the key lives in the token (persistent) keystore.
    var isToken: Bool { flags.contains(.token) }
}

/// A key's secret or public material.
enum StoredMaterial: Sendable {
    /// PKCS#8 PrivateKeyInfo (RSA, EC private keys) or SubjectPublicKeyInfo (public keys).
    case der([UInt8])
    /// A hashsig private key: the HSS record and its signing state (docs/wire-protocol.md §8.6).
    case hashsig(HashsigKeyRecord)

    var der: [UInt8]? {
        if case .der(let der) = self { return der }
        return nil
    }

    var hashsig: HashsigKeyRecord? {
        if case .hashsig(let record) = self { return record }
        return nil
    }
}

/// The stored state of a hashsig private key: the HSS record of docs/wire-protocol.md §8.6 (L, types,
/// I, T1, SEED, qStart, qEnd) plus the top tree's next unused leaf q, which the board keeps in
/// its level-0 LMS record.
///
/// Lower levels are never stored: they are rebuilt from fresh randomness at every start.
struct HashsigKeyRecord: Sendable, Hashable {
    var levels: UInt32
    var lmsType: LMSTypeCode
    var lmotsType: LMOTSTypeCode
    /// I of the top tree (16 bytes).
    var identifier: [UInt8]
    /// T1, the top tree's root (32 bytes).
    var root: [UInt8]
    /// The SEED the top tree's one-time keys derive from (docs/wire-protocol.md §8.8), 32 bytes.
    /// Exportable keys show it in their record (and so in an export); for other keys the
    /// record's SEED is all-zero and this holds the emulator's private derivation seed, which
    /// never leaves the state directory. (The firmware draws fully random one-time keys for
    /// those; a SEED known only to this process is indistinguishable from that and keeps the
    /// stored key small.)
    var seed: [UInt8]
    var isExportableSeed: Bool
    var rangeStart: UInt32
    var rangeEnd: UInt32
    /// q of the top tree's next unused leaf.
    var nextIndex: UInt32
    /// SX1 two-phase export: the share given up but not yet confirmed stored by the host
    /// (``FirmwareBehaviour/holdsExportsPending``).
    var pendingShare: PendingShare? = nil

    /// The SEED field of the HSS record: all-zero unless exportable (docs/wire-protocol.md §8.5).
    var recordSeed: [UInt8] { isExportableSeed ? seed : [UInt8](repeating: 0, count: 32) }
}

/// A share a hashsig key has exported and keeps, outside its own range, until the host
/// confirms it stored the wrapped blob: what a repeated request must match to get it wrapped
/// again.
struct PendingShare: Sendable, Hashable {
    /// The share's top-level leaves `[start, end)`.
    var start: UInt32
    var end: UInt32
    /// SHA-256 of the KEKEK's SubjectPublicKeyInfo: the share goes to that key's board only.
    var kekekDigest: [UInt8]

    /// The leaf count a request names to ask for it again.
    var count: UInt32 { end - start }
}
