import CryptechHex
import DurableFile
import Foundation

/// The signer pool's record of every sign attempt, for the audit: one JSON object per line
/// (the signature, the message, the board, the top-level index), appended and fsynced before
/// a signature is handed out. Indeterminate attempts are recorded too, since they may have
/// consumed a leaf.
///
/// A crash mid-append leaves a torn last line. The next writer notices it (the file does not end
/// in a newline), ends it, and records a `setAside` entry naming the torn line by number, size
/// and digest, with its first bytes in hex (capped, ``SetAsideBytes``), before its own entry;
/// the torn bytes stay where they were. Readers skip a set-aside line and report it, and
/// tolerate (and report) a torn last line no writer has seen yet. Any other unreadable line is
/// an error: it was not left by a crash.
public final class SignatureJournal: @unchecked Sendable {
    /// One line of the journal: a sign attempt and what came of it.
    public struct Entry: Hashable, Sendable, Codable {
        /// What the attempt came to.
        public enum Kind: String, Hashable, Sendable, Codable {
            /// A signature handed out by the pool.
            case signature
            /// A sign request whose outcome is unknown.
            case indeterminate
            /// A signature refused by the pool (invalid, or outside the board's share).
            case refused
            /// The line before this one was torn by a crash mid-append and is set aside.
            case setAside
        }

        /// What the attempt came to.
        public var kind: Kind
        /// When it was recorded: UTC, ISO 8601.
        public var time: String
        /// The board that was asked to sign.
        public var board: BoardName
        /// The top-level leaf the signature spent (the first of ``leafIndices``), for the audit's
        /// check that no leaf was used twice.
        public var topLeafIndex: UInt32?
        /// The leaf index q at each level, top first, when a signature was parsed.
        public var leafIndices: [UInt32]?
        /// Hex.
        public var message: String
        /// Hex; absent for an indeterminate attempt.
        public var signature: String?
        /// Why, for a refused or indeterminate attempt or a set-aside line.
        public var note: String?
        /// For `setAside`: the torn line's number, size, digest and first bytes.
        public var setAsideLine: Int?
        /// For `setAside`: the torn line's size, digest and first bytes.
        public var setAside: SetAsideBytes?
    }

    /// A line of the journal that holds no entry: torn by a crash mid-append.
    public struct DamagedLine: Hashable, Sendable {
        /// Its line number, from 1.
        public var line: Int
        /// How many bytes it has.
        public var byteCount: Int
        /// Whether a later writer marked it (`setAside`); otherwise it is the file's unfinished
        /// last line.
        public var setAside: Bool
    }

    /// What a journal holds.
    public struct Contents: Hashable, Sendable {
        /// Every readable entry, in file order.
        public var entries: [Entry]
        /// Every torn line, set aside or last.
        public var damaged: [DamagedLine]
    }

    /// The largest journal read (about 200,000 signatures of a two-level key); rotate journals
    /// long before.
    public static let readLimit = 1 << 30

    /// The journal file.
    public let path: String
    private let clock: @Sendable () -> String
    private let lock = NSLock()

    /// - Parameters:
    ///   - path: the journal file; created on the first record.
    ///   - clock: the time written into each entry.
    public init(path: String, clock: @escaping @Sendable () -> String = ShareLedger.systemClock) {
        self.path = path
        self.clock = clock
    }

    /// Appends one entry, fsynced before this returns. A torn last line left by a crash is set
    /// aside first (see the type's documentation).
    /// - Throws: ``LedgerError/file(_:)``.
    public func record(kind: Entry.Kind, board: BoardName, message: [UInt8], signature: [UInt8]?,
                       leafIndices: [UInt32]?, note: String? = nil) throws(LedgerError) {
        let entry = Entry(kind: kind, time: clock(), board: board, topLeafIndex: leafIndices?.first, leafIndices: leafIndices,
                          message: Hex.encode(message), signature: signature.map { Hex.encode($0) }, note: note)
        try lock.withTypedLock { () throws(LedgerError) in
            try durable { () throws(DurableFileError) in
                let file = try LockedFile(path: path, wait: .forever)
                defer { file.release() }
                var bytes: [UInt8] = []
                if case .torn(let offset, _) = try file.tail() {
                    let all = try file.readAll(limit: Self.readLimit)
                    let line = all[..<offset].reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
                    let marker = Entry(kind: .setAside, time: entry.time, board: board, message: "",
                                       note: "line \(line) was torn by a crash mid-append",
                                       setAsideLine: line, setAside: SetAsideBytes(all[offset...]))
                    bytes = [UInt8(ascii: "\n")] + Self.encode(marker)
                }
                try file.append(bytes + Self.encode(entry))
            }
        }
    }

    private static func encode(_ entry: Entry) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Encoding plain strings and integers cannot fail.
        return Array(try! encoder.encode(entry)) + [UInt8(ascii: "\n")]
    }

    /// Every entry, and every torn line (set aside or last).
    /// - Throws: ``LedgerError``: `malformedLine` for an unreadable line no crash explains.
    public static func read(path: String) throws(LedgerError) -> Contents {
        guard let bytes = try durable({ () throws(DurableFileError) in try DurableFile.read(path, limit: readLimit) }) else {
            return Contents(entries: [], damaged: [])
        }
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        let endsInNewline = lines.last?.isEmpty ?? true
        if endsInNewline { lines.removeLast() }
        var contents = Contents(entries: [], damaged: [])
        let decoder = JSONDecoder()
        // The line before, for a set-aside marker to name; `reason` when it did not decode.
        var previous: (line: Int, bytes: ArraySlice<UInt8>, reason: String?)?
        for (index, line) in lines.enumerated() {
            let number = index + 1
            let entry: Entry
            do {
                entry = try Self.entry(line: line, decoder: decoder)
            } catch {
                if let previous, let reason = previous.reason { throw .malformedLine(path: path, line: previous.line, reason: reason) }
                previous = (number, line, LedgerParser.describe(error))
                continue
            }
            if entry.kind == .setAside {
                guard let torn = previous, entry.setAsideLine == torn.line, entry.setAside == SetAsideBytes(torn.bytes) else {
                    throw .malformedLine(path: path, line: number, reason: "a set-aside record that does not match the line before it")
                }
                // A torn line that still decodes (only its newline was lost) stays an entry.
                if torn.reason != nil {
                    contents.damaged.append(DamagedLine(line: torn.line, byteCount: torn.bytes.count, setAside: true))
                }
                previous = nil
                continue
            }
            if let previous, let reason = previous.reason { throw .malformedLine(path: path, line: previous.line, reason: reason) }
            contents.entries.append(entry)
            previous = (number, line, nil)
        }
        if let torn = previous, torn.reason != nil {
            // Only the unfinished last line can be torn without a marker.
            guard !endsInNewline else { throw .malformedLine(path: path, line: torn.line, reason: torn.reason ?? "") }
            contents.damaged.append(DamagedLine(line: torn.line, byteCount: torn.bytes.count, setAside: false))
        }
        return contents
    }

    /// The entries as audit items (signatures and refused ones), with indeterminate attempts
    /// and torn lines as findings.
    public static func auditItems(_ contents: Contents, path: String) -> (items: [SignatureAuditor.Item], indeterminate: [AuditFinding]) {
        var items: [SignatureAuditor.Item] = []
        var notes: [AuditFinding] = []
        let file = DurableFile.baseName(path)
        for (index, entry) in contents.entries.enumerated() {
            let name = "\(file):\(index + 1)"
            switch entry.kind {
            case .indeterminate:
                notes.append(.indeterminateSign(item: name, board: entry.board))
            case .signature, .refused:
                items.append(SignatureAuditor.Item(name: name, message: Hex.decode(entry.message) ?? [],
                                                   signature: entry.signature.flatMap { Hex.decode($0) } ?? [], board: entry.board,
                                                   refusedByPool: entry.kind == .refused))
            case .setAside:
                break
            }
        }
        for damaged in contents.damaged {
            notes.append(.tornJournalLine(item: "\(file):line \(damaged.line)", byteCount: damaged.byteCount))
        }
        return (items, notes)
    }
}
