/// An LM-OTS parameter set: the hash function and the Winternitz parameter w
/// (RFC 8554 §4.1, Table 1).
///
/// The raw value is the RFC 8554 type code. Only the SHA-256 sets with n = 32 are defined.
/// p and ls are computed with the formulas of RFC 8554 Appendix B; the tests check them against
/// Table 1.
public enum LMOTSType: UInt32, CaseIterable, Hashable, Sendable {
    /// `LMOTS_SHA256_N32_W1`: p = 265.
    case sha256N32W1 = 0x0000_0001
    /// `LMOTS_SHA256_N32_W2`: p = 133.
    case sha256N32W2 = 0x0000_0002
    /// `LMOTS_SHA256_N32_W4`: p = 67.
    case sha256N32W4 = 0x0000_0003
    /// `LMOTS_SHA256_N32_W8`: p = 34.
    case sha256N32W8 = 0x0000_0004

    /// Looks up a wire type code.
    /// - Throws: ``HashSigError/unknownLMOTSType(_:)`` for a code that is not a known parameter set.
    public init(code: UInt32) throws(HashSigError) {
        guard let type = LMOTSType(rawValue: code) else { throw .unknownLMOTSType(code) }
        self = type
    }

    /// n, the number of bytes of the hash output.
    public var n: Int { 32 }

    /// w, the number of bits encoded by each Winternitz chain (1, 2, 4 or 8).
    public var w: Int {
        switch self {
        case .sha256N32W1: 1
        case .sha256N32W2: 2
        case .sha256N32W4: 4
        case .sha256N32W8: 8
        }
    }

    /// u: the number of w-bit digits of the message hash (RFC 8554 Appendix B).
    var u: Int { (8 * n + w - 1) / w }

    /// v: the number of w-bit digits of the checksum (RFC 8554 Appendix B):
    /// ceil((floor(lg((2^w - 1) * u)) + 1) / w).
    var v: Int {
        let maxChecksum = chainEnd * u
        let floorLog2 = Int.bitWidth - 1 - maxChecksum.leadingZeroBitCount
        return (floorLog2 + 1 + w - 1) / w
    }

    /// p, the number of Winternitz chains: u + v (RFC 8554 Appendix B).
    public var p: Int { u + v }

    /// ls, the left shift applied to the checksum: 16 - v * w (RFC 8554 Appendix B).
    public var ls: Int { 16 - v * w }

    /// 2^w - 1: the last index of every chain, and the largest digit value.
    var chainEnd: Int { (1 << w) - 1 }

    /// Length of an LM-OTS signature: `u32 type ‖ C ‖ y[p]` = 4 + n(p + 1) (RFC 8554 §4.5).
    public var signatureLength: Int { 4 + n * (p + 1) }

    /// The RFC 8554 name, such as `LMOTS_SHA256_N32_W4`.
    public var name: String { "LMOTS_SHA256_N32_W\(w)" }
}

extension LMOTSType: CustomStringConvertible {
    /// The RFC 8554 name (``name``), as messages and the CLI print it.
    public var description: String { name }
}
