import CryptechHex

/// Damaged bytes a repair takes out of a ledger or journal: counted, digested, and kept in hex
/// up to a cap.
///
/// The cap matters: a damaged "line" can be any size (a runaway writer, a file filled by an
/// attacker), and keeping all of it in hex once turned a 200 MB line into a 419 MB ledger that
/// took 1.66 GB to read. The count and digest still identify exactly what was dropped.
public struct SetAsideBytes: Hashable, Sendable, Codable {
    /// The most bytes kept (as hex).
    public static let keptLimit = 4_096

    /// How many bytes were set aside in all.
    public var byteCount: Int
    /// SHA-256 of all the bytes, hex.
    public var sha256: String
    /// The first ``keptLimit`` bytes, hex.
    public var kept: String

    /// Counts and digests all of `bytes` and keeps the first ``keptLimit`` of them.
    /// - Parameter bytes: the damaged bytes.
    public init(_ bytes: ArraySlice<UInt8>) {
        byteCount = bytes.count
        sha256 = SHA256Digest(of: bytes).hex
        kept = Hex.encode(bytes.prefix(Self.keptLimit))
    }
}
