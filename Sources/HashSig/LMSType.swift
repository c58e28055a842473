/// An LMS parameter set: the hash function and the tree height h (RFC 8554 §5.1, Table 2).
///
/// The raw value is the RFC 8554 type code as it appears on the wire. Only the SHA-256 sets with
/// m = 32 are defined; every other code is refused by ``init(code:)``.
public enum LMSType: UInt32, CaseIterable, Hashable, Sendable {
    /// `LMS_SHA256_M32_H5`: 32 leaves.
    case sha256M32H5 = 0x0000_0005
    /// `LMS_SHA256_M32_H10`: 1,024 leaves.
    case sha256M32H10 = 0x0000_0006
    /// `LMS_SHA256_M32_H15`: 32,768 leaves.
    case sha256M32H15 = 0x0000_0007
    /// `LMS_SHA256_M32_H20`: 1,048,576 leaves.
    case sha256M32H20 = 0x0000_0008
    /// `LMS_SHA256_M32_H25`: 33,554,432 leaves.
    case sha256M32H25 = 0x0000_0009

    /// Looks up a wire type code.
    /// - Throws: ``HashSigError/unknownLMSType(_:)`` for a code that is not a known parameter set.
    public init(code: UInt32) throws(HashSigError) {
        guard let type = LMSType(rawValue: code) else { throw .unknownLMSType(code) }
        self = type
    }

    /// m, the number of bytes in each tree node.
    public var m: Int { 32 }

    /// h, the height of the tree.
    public var height: Int {
        switch self {
        case .sha256M32H5: 5
        case .sha256M32H10: 10
        case .sha256M32H15: 15
        case .sha256M32H20: 20
        case .sha256M32H25: 25
        }
    }

    /// 2^h, the number of leaves (one-time keys).
    public var leafCount: UInt32 { 1 << UInt32(height) }

    /// Length of an LMS signature of this type whose LM-OTS part is of type `lmotsType`:
    /// `u32 q ‖ LM-OTS signature ‖ u32 type ‖ path[h]` (RFC 8554 §5.4).
    public func signatureLength(lmotsType: LMOTSType) -> Int {
        4 + lmotsType.signatureLength + 4 + m * height
    }

    /// The RFC 8554 name, such as `LMS_SHA256_M32_H10`.
    public var name: String { "LMS_SHA256_M32_H\(height)" }
}

extension LMSType: CustomStringConvertible {
    /// The RFC 8554 name (``name``), as messages and the CLI print it.
    public var description: String { name }
}
