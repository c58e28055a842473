import CryptechHex
import Foundation

/// The RFC 8554 test vectors beside this file (`rfc8554/`, see its README), for every test
/// target that checks signatures against them: one reader instead of one per target.
public enum RFC8554Vectors {
    public static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .appendingPathComponent("rfc8554")

    /// One `.vec` file: `PublicKey = / Message = / Signature =` lines of hex, `#` comments.
    public struct Case: Sendable {
        public let name: String
        public let publicKey: [UInt8]
        public let message: [UInt8]
        public let signature: [UInt8]
    }

    public enum VectorError: Error {
        case malformed(String)
        case badHex(String)
    }

    /// Reads a `.vec` file by its path under ``directory`` (`"tc1.vec"`, `"negative/…"`).
    /// - Throws: ``VectorError`` when a field is missing or not hex.
    public static func load(_ relativePath: String) throws -> Case {
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

    /// Every vector file: the two test cases and the negative ones.
    public static func all() throws -> [String] {
        let negative = try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("negative").path)
            .filter { $0.hasSuffix(".vec") }.sorted().map { "negative/" + $0 }
        return ["tc1.vec", "tc2.vec"] + negative
    }

    /// One entry of `negative/manifest.json`.
    public struct NegativeEntry: Decodable, Sendable {
        public let file: String
        public let base: String
        public let name: String
        public let kind: String
    }

    public static func negativeEntries() throws -> [NegativeEntry] {
        let data = try Data(contentsOf: directory.appendingPathComponent("negative/manifest.json"))
        return try JSONDecoder().decode([NegativeEntry].self, from: data)
    }

    /// `key = value` lines of one `[section]` of `tc2/private_seeds.txt` (values as written).
    public static func testCase2Private(_ section: String) throws -> [String: String] {
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

    /// Bytes from a hex string as the vector files write them.
    public static func hex(_ text: String) throws -> [UInt8] {
        guard let bytes = Hex.decode(text) else { throw VectorError.badHex(text) }
        return bytes
    }
}
