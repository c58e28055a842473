import Foundation
import Testing
@testable import HashSig

/// The RFC 8554 vectors beside these tests (Vectors/rfc8554, see its README).
enum Vectors {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .appendingPathComponent("Vectors/rfc8554")

    /// One `.vec` file: `PublicKey = / Message = / Signature =` lines of hex, `#` comments.
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let publicKey: [UInt8]
        let message: [UInt8]
        let signature: [UInt8]
        var testDescription: String { name }
    }

    static func load(_ relativePath: String) throws -> Case {
        let text = try String(contentsOf: directory.appendingPathComponent(relativePath), encoding: .utf8)
        var fields: [String: [UInt8]] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else { continue }
            fields[parts[0]] = try hex(parts[1])
        }
        guard let publicKey = fields["PublicKey"], let message = fields["Message"],
              let signature = fields["Signature"] else {
            throw VectorError.malformed(relativePath)
        }
        return Case(name: relativePath, publicKey: publicKey, message: message, signature: signature)
    }

    /// One entry of negative/manifest.json.
    struct NegativeEntry: Decodable, Sendable, CustomTestStringConvertible {
        let file: String
        let base: String
        let name: String
        let kind: String
        var testDescription: String { file }
    }

    static func negativeEntries() throws -> [NegativeEntry] {
        let data = try Data(contentsOf: directory.appendingPathComponent("negative/manifest.json"))
        return try JSONDecoder().decode([NegativeEntry].self, from: data)
    }

    /// `key = value` lines of one `[section]` of tc2/private_seeds.txt (values as written).
    static func testCase2Private(_ section: String) throws -> [String: String] {
        let text = try String(contentsOf: directory.appendingPathComponent("tc2/private_seeds.txt"), encoding: .utf8)
        var current = ""
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") {
            if line.hasPrefix("[") {
                current = String(line.dropFirst().prefix { $0 != "]" })
            } else if current == section, !line.hasPrefix("#") {
                let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if parts.count == 2 { values[parts[0]] = parts[1] }
            }
        }
        return values
    }
}

enum VectorError: Error {
    case malformed(String)
    case badHex(String)
}

/// Bytes from a hex string.
func hex(_ text: String) throws -> [UInt8] {
    let digits = Array(text.utf8)
    guard digits.count % 2 == 0 else { throw VectorError.badHex(text) }
    func nibble(_ c: UInt8) throws -> UInt8 {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: throw VectorError.badHex(text)
        }
    }
    return try stride(from: 0, to: digits.count, by: 2).map { try nibble(digits[$0]) << 4 | nibble(digits[$0 + 1]) }
}

extension Array where Element == UInt8 {
    var hexString: String { map { String(format: "%02x", $0) }.joined() }
}
