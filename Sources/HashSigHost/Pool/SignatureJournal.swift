#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The signer pool's record of every sign attempt, for the audit: one JSON object per line
/// (the signature, the message, the board, the top-level index), appended and fsynced before
/// a signature is handed out. Indeterminate attempts are recorded too, since they may have
/// consumed a leaf.
public final class SignatureJournal: @unchecked Sendable {
    public struct Entry: Hashable, Sendable, Codable {
        public enum Kind: String, Hashable, Sendable, Codable {
            case signature
            /// A sign request whose outcome is unknown.
            case indeterminate
            /// A signature refused by the pool (invalid, or outside the board's share).
            case refused
        }

        public var kind: Kind
        public var time: String
        public var board: BoardName
        public var topLeafIndex: UInt32?
        public var leafIndices: [UInt32]?
        /// Hex.
        public var message: String
        /// Hex; absent for an indeterminate attempt.
        public var signature: String?
        public var note: String?
    }

    public let path: String
    private let clock: @Sendable () -> String
    private let lock = NSLock()

    public init(path: String, clock: @escaping @Sendable () -> String = ShareLedger.systemClock) {
        self.path = path
        self.clock = clock
    }

    /// Appends one entry, fsynced before this returns.
    /// - Throws: ``LedgerError/io(path:operation:errno:)``.
    public func record(kind: Entry.Kind, board: BoardName, message: [UInt8], signature: [UInt8]?,
                       leafIndices: [UInt32]?, note: String? = nil) throws(LedgerError) {
        let entry = Entry(kind: kind, time: clock(), board: board, topLeafIndex: leafIndices?.first, leafIndices: leafIndices,
                          message: Hex.encode(message), signature: signature.map { Hex.encode($0) }, note: note)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let line = Array(try! encoder.encode(entry)) + [UInt8(ascii: "\n")]
        try lock.withTypedLock { () throws(LedgerError) in
            let (fd, _) = try POSIXFile.openAppending(path)
            defer { close(fd) }
            _ = try POSIXFile.lock(fd: fd, LOCK_EX, path: path)
            try POSIXFile.writeAll(fd: fd, line, path: path)
            try POSIXFile.sync(fd: fd, path: path)
        }
    }

    /// Every entry; a damaged line is reported by number.
    /// - Throws: ``LedgerError``.
    public static func read(path: String) throws(LedgerError) -> [Entry] {
        guard let bytes = try POSIXFile.readAll(path) else { return [] }
        if let last = bytes.last, last != UInt8(ascii: "\n") {
            let complete = bytes.filter { $0 == UInt8(ascii: "\n") }.count
            throw .truncatedLastLine(path: path, line: complete + 1, byteCount: bytes.count - (bytes.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0))
        }
        var entries: [Entry] = []
        let decoder = JSONDecoder()
        for (index, line) in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            if line.isEmpty { continue }
            do {
                entries.append(try decoder.decode(Entry.self, from: Data(line)))
            } catch {
                throw .malformedLine(path: path, line: index + 1, reason: LedgerParser.describe(error))
            }
        }
        return entries
    }

    /// The entries as audit items (signatures and refused ones), with indeterminate attempts
    /// as findings.
    public static func auditItems(_ entries: [Entry], path: String) -> (items: [SignatureAuditor.Item], indeterminate: [AuditFinding]) {
        var items: [SignatureAuditor.Item] = []
        var notes: [AuditFinding] = []
        for (index, entry) in entries.enumerated() {
            let name = "\(POSIXFile.baseName(path)):\(index + 1)"
            switch entry.kind {
            case .indeterminate:
                notes.append(.indeterminateSign(item: name, board: entry.board))
            case .signature, .refused:
                items.append(SignatureAuditor.Item(name: name, message: Hex.decode(entry.message) ?? [],
                                                   signature: entry.signature.flatMap { Hex.decode($0) } ?? [], board: entry.board))
            }
        }
        return (items, notes)
    }
}
