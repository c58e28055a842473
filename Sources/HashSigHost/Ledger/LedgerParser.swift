import Foundation

/// Reads ledger bytes into records, checking what a person cannot see by eye: every line is
/// complete, parses, carries its own sequence number and the SHA-256 of the line before it.
enum LedgerParser {
    struct Parsed {
        var records: [LedgerRecord]
        /// SHA-256 of the last line (zeros when empty): the next line's `prev`.
        var lastDigest: SHA256Digest
        /// Byte length of the intact lines.
        var length: Int
    }

    /// Where a damaged last line starts, for repair.
    struct Damage {
        var line: Int
        var offset: Int
        var error: LedgerError
    }

    static func parse(_ bytes: [UInt8], path: String) throws(LedgerError) -> Parsed {
        switch scan(bytes, path: path) {
        case .success(let parsed): return parsed
        case .failure(let failure): throw failure.damage.error
        }
    }

    /// Parses `bytes`; on failure says which line is damaged and where it starts.
    static func scan(_ bytes: [UInt8], path: String) -> Result<Parsed, DamageError> {
        var records: [LedgerRecord] = []
        var previous = SHA256Digest.zero
        var start = 0
        let decoder = JSONDecoder()
        while start < bytes.count {
            let line = records.count + 1
            guard let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) else {
                return .failure(DamageError(Damage(line: line, offset: start,
                                                   error: .truncatedLastLine(path: path, line: line, byteCount: bytes.count - start))))
            }
            let isLast = newline == bytes.count - 1
            let lineBytes = Array(bytes[start..<newline])
            let record: LedgerRecord
            do {
                record = try decoder.decode(LedgerRecord.self, from: Data(lineBytes))
            } catch {
                let reason = describe(error)
                let failure: LedgerError = isLast
                    ? .corruptedLastLine(path: path, line: line, reason: reason)
                    : .malformedLine(path: path, line: line, reason: reason)
                return .failure(DamageError(Damage(line: line, offset: start, error: failure)))
            }
            guard record.previous == previous else {
                let failure: LedgerError = isLast
                    ? .corruptedLastLine(path: path, line: line, reason: "it does not carry the SHA-256 of line \(line - 1)")
                    : .chainBroken(path: path, line: line)
                return .failure(DamageError(Damage(line: line, offset: start, error: failure)))
            }
            guard record.sequence == line else {
                return .failure(DamageError(Damage(line: line, offset: start,
                                                   error: .sequenceMismatch(path: path, line: line, found: record.sequence))))
            }
            records.append(record)
            previous = SHA256Digest(of: lineBytes)
            start = newline + 1
        }
        return .success(Parsed(records: records, lastDigest: previous, length: bytes.count))
    }

    struct DamageError: Error {
        let damage: Damage
        init(_ damage: Damage) { self.damage = damage }
    }

    /// A decoding error in a few words (without the coding path noise).
    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context):
            return context.debugDescription
        case DecodingError.keyNotFound(let key, _):
            return "missing field '\(key.stringValue)'"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            let field = context.codingPath.last?.stringValue ?? "?"
            return "field '\(field)': \(context.debugDescription)"
        default:
            return "not JSON: \(error)"
        }
    }

    /// One record as a line (without the newline): compact JSON with sorted keys.
    static func encode(_ record: LedgerRecord) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding our own Codable values into JSON cannot fail.
        return Array(try! encoder.encode(record))
    }
}
