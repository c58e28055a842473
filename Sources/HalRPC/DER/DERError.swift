import CryptechHex

/// Why DER input was refused. Offsets count bytes from the start of the buffer given to
/// ``DER/Reader``.
///
/// Every case means "not the DER this codec accepts"; the board's answer for all of them is
/// `HAL_ERROR_ASN1_PARSE_FAILED` (docs/wire-protocol.md §4.3 PKEY_LOAD), available as ``halError``.
public enum DERError: Error, Hashable, Sendable, CustomStringConvertible {
    /// An element's header or contents run past the end of the input (or of its parent).
    case truncated(offset: Int)
    /// An element with another tag than the structure requires.
    case unexpectedTag(offset: Int, expected: UInt8, found: UInt8)
    /// A high-tag-number form tag (low five bits all set), which nothing here uses.
    case unsupportedTag(offset: Int, tag: UInt8)
    /// The indefinite length form `0x80`, which DER forbids (X.690 §10.1).
    case indefiniteLength(offset: Int)
    /// A length in long form where the short form would do, or with a leading zero octet
    /// (X.690 §10.1).
    case nonMinimalLength(offset: Int)
    /// A length field with more than four octets (or the reserved `0xFF`).
    case lengthTooLarge(offset: Int)
    /// Bytes left after the last element of a structure.
    case trailingBytes(offset: Int, count: Int)
    /// An INTEGER that is empty, not in its shortest form (X.690 §8.3.2) or negative where only
    /// unsigned values are allowed.
    case invalidInteger(offset: Int)
    /// An INTEGER too large for the field that holds it.
    case integerTooLarge(offset: Int)
    /// A BIT STRING that is empty or has unused bits.
    case invalidBitString(offset: Int)
    /// A NULL with contents.
    case invalidNull(offset: Int)
    /// An OBJECT IDENTIFIER that is empty or whose last subidentifier is unfinished or padded
    /// with a leading `0x80` (X.690 §8.19.2).
    case invalidObjectIdentifier(offset: Int)
    /// Well-formed DER holding a value the structure does not allow: a wrong OID, a field of the
    /// wrong size, an unsupported version. `reason` says which.
    case unexpectedValue(String)

    /// The board's status for refused DER: `HAL_ERROR_ASN1_PARSE_FAILED`.
    public var halError: HALError { .asn1ParseFailed }

    public var description: String {
        switch self {
        case let .truncated(offset):
            "DER element at byte \(offset) runs past the end of its input"
        case let .unexpectedTag(offset, expected, found):
            "DER tag 0x\(Hex.digits(found, width: 2, uppercase: true)) at byte \(offset), expected 0x\(Hex.digits(expected, width: 2, uppercase: true))"
        case let .unsupportedTag(offset, tag):
            "unsupported DER tag 0x\(Hex.digits(tag, width: 2, uppercase: true)) at byte \(offset)"
        case let .indefiniteLength(offset):
            "indefinite length at byte \(offset) (not DER)"
        case let .nonMinimalLength(offset):
            "non-minimal length encoding at byte \(offset)"
        case let .lengthTooLarge(offset):
            "length field at byte \(offset) too large"
        case let .trailingBytes(offset, count):
            "\(count) trailing byte\(count == 1 ? "" : "s") at byte \(offset)"
        case let .invalidInteger(offset):
            "malformed or negative INTEGER at byte \(offset)"
        case let .integerTooLarge(offset):
            "INTEGER at byte \(offset) too large"
        case let .invalidBitString(offset):
            "BIT STRING at byte \(offset) empty or with unused bits"
        case let .invalidNull(offset):
            "NULL at byte \(offset) has contents"
        case let .invalidObjectIdentifier(offset):
            "malformed OBJECT IDENTIFIER at byte \(offset)"
        case let .unexpectedValue(reason):
            reason
        }
    }
}
