import CryptechHex
import HashSig

/// Which hashsig key a ledger record, plan or audit is about: the top tree's identifier I and
/// root T1 (RFC 8554 §5.3). Every board holding a share of the key reports the same pair.
///
/// Written as `<I in 32 hex digits>:<T1 in 64 hex digits>`; ``shortDescription`` gives a
/// prefix for tables.
public struct KeyIdentity: Hashable, Sendable, Codable, CustomStringConvertible {
    /// I, 16 bytes.
    public let identifier: [UInt8]
    /// T1, 32 bytes.
    public let root: [UInt8]

    /// The identity of an HSS public key.
    public init(_ publicKey: HSS.PublicKey) {
        identifier = publicKey.topPublicKey.identifier
        root = publicKey.topPublicKey.root
    }

    /// Parses the text form `I:T1` (hex, any case).
    /// - Throws: ``ShareModelError/invalidKeyIdentity(_:)``.
    public init(_ text: String) throws(ShareModelError) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let identifier = Hex.decode(parts[0]), let root = Hex.decode(parts[1]),
              identifier.count == LMOTS.identifierLength, root.count == LMOTS.hashLength else {
            throw .invalidKeyIdentity(text)
        }
        self.identifier = identifier
        self.root = root
    }

    /// The text form `I:T1` in lower-case hex, as the ledger and the CLI write it.
    public var description: String { Hex.encode(identifier) + ":" + Hex.encode(root) }

    /// `I` and the first 8 hex digits of T1, enough to tell keys apart in a table.
    public var shortDescription: String { Hex.encode(identifier) + ":" + Hex.encode(root.prefix(4)) + "…" }

    /// Decodes the text form from a JSON string.
    /// - Throws: `DecodingError.dataCorrupted` for text that is not `I:T1` of the right lengths.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\(error)"))
        }
    }

    /// Encodes the text form as a JSON string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
