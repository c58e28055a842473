import CryptechHex
import HalRPC
import HashSig

/// What one ledger line records. The state machine of a transfer (design.md, "Share ledger"):
///
///     planned ──> exporting ──> exported ──> imported ──> verified
///        │            │            │
///        ├────────────┴────────────┴──> burned   (the leaves left the source but no board holds them)
///        └────────────┘
///             └──> released (the source still reported the whole range: nothing left it)
///
/// `planned` is fsynced before the export request goes out, so every range that ever leaves a
/// board is on record first; nothing ever returns a planned range to "free".
public enum LedgerEvent: Hashable, Sendable {
    /// A key and the board that holds it (usually the board that generated it).
    case keyRegistered(KeyRegistration)
    /// A transfer's range is reserved: it will be exported from the source to the destination.
    case planned(TransferPlanned)
    /// The export request is about to be sent: from here on the source may have shrunk.
    case exporting(TransferExporting)
    /// The source exported the share; the wrapped blob's digest is recorded.
    case exported(TransferExported)
    /// The destination imported the blob.
    case imported(TransferImported)
    /// The destination reports the key's public key (and, optionally, signed inside its share).
    case verified(TransferVerified)
    /// Leaves that left the source but that no board holds: lost capacity, never reused.
    case burned(RangeBurned)
    /// A planned transfer given up while the source still reported holding its whole range:
    /// nothing left the board, the leaves stay the source's.
    case released(TransferReleased)
    /// What a board reported when it was reached.
    case observed(BoardObservation)
    /// Something a person must look at (an index that went backwards, a board outside its share).
    case alarm(LedgerAlarm)
    /// A damaged last line was set aside by `cryptech share repair`.
    case repaired(LedgerRepair)
    /// The ledger's head, signed by a board's checkpoint key (`cryptech share checkpoint`).
    case checkpoint(LedgerCheckpoint)

    /// The `event` field of the JSON line.
    public var name: String {
        switch self {
        case .keyRegistered: "key"
        case .planned: "planned"
        case .exporting: "exporting"
        case .exported: "exported"
        case .imported: "imported"
        case .verified: "verified"
        case .burned: "burned"
        case .released: "released"
        case .observed: "observed"
        case .alarm: "alarm"
        case .repaired: "repaired"
        case .checkpoint: "checkpoint"
        }
    }
}

/// How a share leaves the source.
public enum ExportMethod: String, Hashable, Sendable, Codable {
    /// SX1: the request carries `shareCount`; the board reports the share's range.
    case sx1
    /// Firmware without SX1 bisects the remaining range; a probe signature made just before
    /// the export told the host where the split falls.
    case legacyBisect = "legacy-bisect"
}

/// How the host came to know a board's range of a key (recorded with the range, so the
/// ledger says which ranges a board vouched for and which the host worked out).
public enum RangeEvidence: String, Hashable, Sendable, Codable {
    /// The board reported it (SX1 range attributes).
    case attributes
    /// The host had the board generate the key just now: the whole top tree.
    case generated
    /// The ledger recorded the transfer that brought the share.
    case ledger
    /// A person stated it (`--range`); a probe signature confirmed the board signs inside it.
    case stated
}

/// The `key` event: which HSS key the ledger tracks and the board that holds its first share.
/// Every later event of the key refers back to this public key, so the ledger can tell whether
/// any two boards ever hold the same top-level leaf.
public struct KeyRegistration: Hashable, Sendable, Codable {
    /// The raw 60-byte RFC 8554 HSS public key, hex.
    public var publicKey: String
    /// The board that holds the key (its whole range, when it generated it).
    public var board: BoardName
    /// The key's name (UUID) on that board.
    public var keyName: String
    /// The top-level range the board holds.
    public var range: LeafRange
    /// The board's next unused leaf when registered.
    public var next: UInt32
    /// A person's note (what the key signs).
    public var label: String?
    /// How the range was learned (`nil` in ledgers written before this was recorded: the
    /// board's attributes).
    public var rangeLearned: RangeEvidence?
    /// The top-level leaf index of the probe signature that gave ``next``, when the board has
    /// no range attributes.
    public var probeIndex: UInt32?

    /// A registration of `publicKey`.
    public init(publicKey: HSS.PublicKey, board: BoardName, keyName: String, range: LeafRange, next: UInt32, label: String? = nil,
                rangeLearned: RangeEvidence? = nil, probeIndex: UInt32? = nil) {
        self.init(publicKey: Hex.encode(publicKey.bytes), board: board, keyName: keyName, range: range, next: next, label: label,
                  rangeLearned: rangeLearned, probeIndex: probeIndex)
    }

    /// A registration of a public key given as hex, as it is decoded from a ledger line.
    /// - Parameters:
    ///   - publicKey: the 60-byte HSS public key, hex.
    ///   - board: the board that holds it.
    ///   - keyName: the key's name (UUID) on that board.
    ///   - range: the top-level range the board holds.
    ///   - next: the board's next unused leaf.
    ///   - label: a person's note, if any.
    ///   - rangeLearned: how the range was learned, if recorded.
    ///   - probeIndex: the probe signature's leaf index, when there was one.
    public init(publicKey: String, board: BoardName, keyName: String, range: LeafRange, next: UInt32, label: String? = nil,
                rangeLearned: RangeEvidence? = nil, probeIndex: UInt32? = nil) {
        self.publicKey = publicKey
        self.board = board
        self.keyName = keyName
        self.range = range
        self.next = next
        self.label = label
        self.rangeLearned = rangeLearned
        self.probeIndex = probeIndex
    }
}

/// The `planned` event: a range is reserved for moving from one board to another. It is made
/// durable before anything is sent to a board, so every range that ever leaves a board is on
/// record and no later plan can hand the same leaves out again.
public struct TransferPlanned: Hashable, Sendable, Codable {
    /// The transfer's id (`T1`, `T2`, …), unique among the key's transfers; every later event
    /// of this transfer carries it.
    public var transfer: String
    /// The id (`P1`, `P2`, …, counted per key) of the plan this transfer belongs to; one request
    /// may need several transfers.
    public var plan: String
    /// The request as typed, so a re-run can tell its own plan.
    public var request: String
    /// The board the leaves leave.
    public var source: BoardName
    /// The board that is to hold them.
    public var destination: BoardName
    /// The top-level leaves reserved, inside the source's range.
    public var range: LeafRange
    /// How the share is exported: SX1 with a share count, or legacy bisection.
    public var method: ExportMethod
    /// Legacy firmware: the probe signature's top-level leaf index.
    public var probeIndex: UInt32?
    /// The first transfer of a bisection plan carries the whole plan, so that a later run
    /// continues exactly the exports the person accepted.
    public var bisection: [BisectionPlan.Step]?

    /// - Parameters:
    ///   - transfer: the transfer's id.
    ///   - plan: the plan's id.
    ///   - request: the request as typed.
    ///   - source: the board the leaves leave.
    ///   - destination: the board that is to hold them.
    ///   - range: the leaves reserved.
    ///   - method: how the share is exported.
    ///   - probeIndex: the probe signature's leaf index (legacy firmware).
    ///   - bisection: the whole bisection plan, on its first transfer.
    public init(transfer: String, plan: String, request: String, source: BoardName, destination: BoardName,
                range: LeafRange, method: ExportMethod, probeIndex: UInt32? = nil, bisection: [BisectionPlan.Step]? = nil) {
        self.transfer = transfer
        self.plan = plan
        self.request = request
        self.source = source
        self.destination = destination
        self.range = range
        self.method = method
        self.probeIndex = probeIndex
        self.bisection = bisection
    }
}

/// The `exporting` event: the export request is about to go out. Written before the request,
/// so after a crash the host knows the source may already have given the leaves up, and the
/// range can never be released back to it without checking.
public struct TransferExporting: Hashable, Sendable, Codable {
    /// The transfer's id.
    public var transfer: String
    /// The source's range and next index just before the request, as it reported them.
    public var sourceRange: LeafRange?
    /// The source's next unused leaf just before the request, as it reported it.
    public var sourceNext: UInt32?
    /// The name (UUID) of the destination's RSA key the share is wrapped for.
    public var kekek: String?

    /// - Parameters:
    ///   - transfer: the transfer's id.
    ///   - sourceRange: the source's range as reported, if it reports one.
    ///   - sourceNext: the source's next unused leaf as reported.
    ///   - kekek: the name of the destination's wrapping key.
    public init(transfer: String, sourceRange: LeafRange? = nil, sourceNext: UInt32? = nil, kekek: String? = nil) {
        self.transfer = transfer
        self.sourceRange = sourceRange
        self.sourceNext = sourceNext
        self.kekek = kekek
    }
}

/// The `exported` event: the source gave the share out, wrapped for the destination. From here
/// on the source no longer holds the leaves; if the share never reaches the destination they
/// are burned, never returned.
public struct TransferExported: Hashable, Sendable, Codable {
    /// The transfer's id.
    public var transfer: String
    /// SHA-256 of the wrapped blob (wrapped key ‖ wrapped KEK).
    public var blobDigest: SHA256Digest
    /// The share's range.
    public var share: LeafRange
    /// Whether the board reported ``share`` (SX1) or the host computed it (legacy bisection).
    public var reportedByBoard: Bool
    /// A remark for a person reading the ledger, when the export had one to make.
    public var note: String?

    /// - Parameters:
    ///   - transfer: the transfer's id.
    ///   - blobDigest: SHA-256 of the wrapped blob.
    ///   - share: the share's range.
    ///   - reportedByBoard: whether the board reported the range.
    ///   - note: a remark for a person, if any.
    public init(transfer: String, blobDigest: SHA256Digest, share: LeafRange, reportedByBoard: Bool, note: String? = nil) {
        self.transfer = transfer
        self.blobDigest = blobDigest
        self.share = share
        self.reportedByBoard = reportedByBoard
        self.note = note
    }
}

/// The `imported` event: the destination accepted the wrapped share and now holds the leaves.
public struct TransferImported: Hashable, Sendable, Codable {
    /// The transfer's id.
    public var transfer: String
    /// The new key's name (UUID) on the destination.
    public var keyName: String
    /// SHA-256 of the blob imported: the same as the `exported` event's, or the share is not the
    /// one exported.
    public var blobDigest: SHA256Digest

    /// - Parameters:
    ///   - transfer: the transfer's id.
    ///   - keyName: the new key's name on the destination.
    ///   - blobDigest: SHA-256 of the blob imported.
    public init(transfer: String, keyName: String, blobDigest: SHA256Digest) {
        self.transfer = transfer
        self.keyName = keyName
        self.blobDigest = blobDigest
    }
}

/// The `verified` event: the destination holds the share under the key's public key, so the
/// transfer is complete and its wrapped blob may be deleted.
public struct TransferVerified: Hashable, Sendable, Codable {
    /// The transfer's id.
    public var transfer: String
    /// The range the destination reports (SX1 attributes), when it can.
    public var boardRange: LeafRange?
    /// The top-level leaf index of the test signature, when one was made.
    public var testSignatureIndex: UInt32?

    /// - Parameters:
    ///   - transfer: the transfer's id.
    ///   - boardRange: the range the destination reports, if it can.
    ///   - testSignatureIndex: the test signature's leaf index, if one was made.
    public init(transfer: String, boardRange: LeafRange? = nil, testSignatureIndex: UInt32? = nil) {
        self.transfer = transfer
        self.boardRange = boardRange
        self.testSignatureIndex = testSignatureIndex
    }
}

/// The `burned` event: leaves that left the source but that no board will hold. They count as
/// lost capacity forever: giving them to anyone could make a board reuse a one-time key that
/// the lost share (or the source) may still sign with.
public struct RangeBurned: Hashable, Sendable, Codable {
    /// The transfer whose leaves are burned.
    public var transfer: String
    /// The board the leaves left.
    public var board: BoardName
    /// The top-level leaves given up.
    public var range: LeafRange
    /// Why, for a person reading the ledger.
    public var reason: String
    /// Whether the source may in fact still hold the range: firmware without SX1 cannot say
    /// whether an interrupted export ran, so the range is given up either way, and the source
    /// must not export by bisection again (its real end is not known).
    public var sourceMayStillHold: Bool?

    /// - Parameters:
    ///   - transfer: the transfer whose leaves are burned.
    ///   - board: the board the leaves left.
    ///   - range: the leaves given up.
    ///   - reason: why, for a person.
    ///   - sourceMayStillHold: whether the source may still hold them (firmware without SX1).
    public init(transfer: String, board: BoardName, range: LeafRange, reason: String, sourceMayStillHold: Bool? = nil) {
        self.transfer = transfer
        self.board = board
        self.range = range
        self.reason = reason
        self.sourceMayStillHold = sourceMayStillHold
    }
}

/// The `released` event: a planned transfer given up while the source still reported its whole
/// range, so no leaf left it and the reservation ends without loss.
public struct TransferReleased: Hashable, Sendable, Codable {
    /// The transfer given up.
    public var transfer: String
    /// The source's range as it reported it when released (the planned range inside it).
    public var sourceRange: LeafRange
    /// Why it was given up, for a person.
    public var reason: String

    /// - Parameters:
    ///   - transfer: the transfer given up.
    ///   - sourceRange: the source's range as reported when released.
    ///   - reason: why, for a person.
    public init(transfer: String, sourceRange: LeafRange, reason: String) {
        self.transfer = transfer
        self.sourceRange = sourceRange
        self.reason = reason
    }
}

/// The `observed` event: what a board reported about a key when it was reached. The ledger's
/// reconciliation compares it with what the board should hold, and a next index that went
/// backwards is raised as an alarm (a board that might reuse one-time keys).
public struct BoardObservation: Hashable, Sendable, Codable {
    /// The board that reported.
    public var board: BoardName
    /// The board's range, when it reports one (SX1).
    public var range: LeafRange?
    /// The board's next unused leaf (from SX1 attributes or a signature's index + 1).
    public var next: UInt32
    /// The top-level leaf index of the probe signature ``next`` came from, when the board has
    /// no range attributes.
    public var probeIndex: UInt32?

    /// - Parameters:
    ///   - board: the board that reported.
    ///   - range: its range, if it reports one.
    ///   - next: its next unused leaf.
    ///   - probeIndex: the probe signature's leaf index, when there was one.
    public init(board: BoardName, range: LeafRange?, next: UInt32, probeIndex: UInt32? = nil) {
        self.board = board
        self.range = range
        self.next = next
        self.probeIndex = probeIndex
    }
}

/// The `alarm` event: something a person must look at, such as a board whose next index is
/// outside its share. An alarm changes no range; it makes the finding durable and visible.
public struct LedgerAlarm: Hashable, Sendable, Codable {
    /// The board concerned, if one is.
    public var board: BoardName?
    /// The transfer concerned, if one is.
    public var transfer: String?
    /// A stable word for scripts: `index-went-backwards`, `index-beyond-share`, ...
    public var kind: String
    /// The finding in words, for a person.
    public var message: String

    /// - Parameters:
    ///   - board: the board concerned, if any.
    ///   - transfer: the transfer concerned, if any.
    ///   - kind: a stable word for scripts.
    ///   - message: the finding in words.
    public init(board: BoardName?, transfer: String? = nil, kind: String, message: String) {
        self.board = board
        self.transfer = transfer
        self.kind = kind
        self.message = message
    }
}

/// The `repaired` event: `cryptech share repair` set aside a damaged last line (a write cut
/// short by a crash), keeping its bytes in the record so nothing is lost without trace.
public struct LedgerRepair: Hashable, Sendable, Codable {
    /// The line number the damaged bytes had.
    public var line: Int
    /// The damaged bytes, hex, so that nothing is silently dropped: all of them, or the first
    /// ``SetAsideBytes/keptLimit`` when ``droppedByteCount`` says there were more.
    public var droppedBytes: String
    /// How many bytes were set aside; absent in records written before repairs were capped,
    /// whose `droppedBytes` hold them all.
    public var droppedByteCount: Int?
    /// SHA-256 (hex) of all the bytes set aside; absent in records written before repairs were
    /// capped.
    public var droppedSHA256: String?
    /// Why the line was damaged, as the parser said.
    public var reason: String

    /// - Parameters:
    ///   - line: the damaged line's number.
    ///   - setAside: the bytes set aside.
    ///   - reason: why the line was damaged.
    public init(line: Int, setAside: SetAsideBytes, reason: String) {
        self.line = line
        droppedBytes = setAside.kept
        droppedByteCount = setAside.byteCount
        droppedSHA256 = setAside.sha256
        self.reason = reason
    }

    /// How many bytes the repair set aside.
    public var setAsideByteCount: Int { droppedByteCount ?? droppedBytes.count / 2 }
}
