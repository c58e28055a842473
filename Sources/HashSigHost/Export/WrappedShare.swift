/// An exported share as PKEY_EXPORT returns it: the key wrapped under a fresh KEK, and the KEK
/// encrypted to the destination's KEKEK (docs/wire-protocol.md §9.2). Only the destination can unwrap it,
/// but it is still the SEED of a key: kept in files of mode 0600, never logged, deleted once
/// the transfer is verified.
public struct WrappedShare: Hashable, Sendable {
    /// The key's PKCS#8 encoding, encrypted under the KEK.
    public let pkcs8: [UInt8]
    /// The KEK, encrypted to the destination's KEKEK (RSA).
    public let kek: [UInt8]

    /// - Parameters:
    ///   - pkcs8: the wrapped key.
    ///   - kek: the encrypted KEK.
    public init(pkcs8: [UInt8], kek: [UInt8]) {
        self.pkcs8 = pkcs8
        self.kek = kek
    }

    /// What the ledger records: SHA-256 of `u32 len ‖ pkcs8 ‖ u32 len ‖ kek`, so that the two
    /// parts cannot be shifted into each other.
    public var digest: SHA256Digest {
        SHA256Digest(of: Self.lengthPrefixed(pkcs8) + Self.lengthPrefixed(kek))
    }

    /// How a blob store keeps it (a file's contents, an etcd value): the same
    /// length-prefixed parts.
    public var fileBytes: [UInt8] { Self.lengthPrefixed(pkcs8) + Self.lengthPrefixed(kek) }

    /// Reads what a blob store kept; `nil` when it is not a wrapped share.
    public init?(fileBytes bytes: [UInt8]) {
        var offset = 0
        func part() -> [UInt8]? {
            guard bytes.count - offset >= 4 else { return nil }
            let length = Int(bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | UInt32($1) })
            offset += 4
            guard bytes.count - offset >= length else { return nil }
            defer { offset += length }
            return Array(bytes[offset..<(offset + length)])
        }
        guard let pkcs8 = part(), let kek = part(), offset == bytes.count else { return nil }
        self.init(pkcs8: pkcs8, kek: kek)
    }

    private static func lengthPrefixed(_ bytes: [UInt8]) -> [UInt8] {
        let n = UInt32(bytes.count)
        return [UInt8(n >> 24), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)] + bytes
    }
}
