import COpenSSL
import CryptechHex

/// A SHA-256 digest of host-side records: ledger lines (the hash chain), wrapped share blobs,
/// messages kept by the audit. Not on any signature path (those go through HashSig).
public struct SHA256Digest: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The 32 bytes.
    public let bytes: [UInt8]

    /// The digest of `data`.
    public init(of data: some Collection<UInt8>) {
        var digest = [UInt8](repeating: 0, count: 32)
        let input = Array(data)
        input.withUnsafeBufferPointer { buffer in
            digest.withUnsafeMutableBufferPointer { output in
                _ = SHA256(buffer.baseAddress, buffer.count, output.baseAddress)
            }
        }
        bytes = digest
    }

    /// A digest from its 64-digit hex form.
    /// - Throws: ``ShareModelError/invalidDigest(_:)``.
    public init(hex: String) throws(ShareModelError) {
        guard let bytes = Hex.decode(hex), bytes.count == 32 else { throw .invalidDigest(hex) }
        self.bytes = bytes
    }

    init(bytes: [UInt8]) {
        precondition(bytes.count == 32)
        self.bytes = bytes
    }

    /// 32 zero bytes: the "previous line" of a ledger's first line.
    public static let zero = SHA256Digest(bytes: [UInt8](repeating: 0, count: 32))

    /// 64 lower-case hex digits.
    public var hex: String { Hex.encode(bytes) }

    /// The digest in lower-case hex.
    public var description: String { hex }

    /// Decodes a JSON string of 64 hex digits.
    /// - Throws: `DecodingError.dataCorrupted` for anything else.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(hex: text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\(error)"))
        }
    }

    /// Encodes the digest as a JSON string of 64 lower-case hex digits.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }
}
