/// A message that does not follow the XDR layout it claims to have.
///
/// Decoding never traps and never allocates more than the message holds: every length and
/// count a peer sends is checked against what is left (and against the caller's maximum)
/// before anything is sized by it.
public enum XDRError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A field needs `needed` bytes at `offset` but only `available` are left.
    case truncated(offset: Int, needed: Int, available: Int)
    /// A variable opaque declares `length` bytes, more than the caller allows.
    case lengthExceedsMaximum(offset: Int, length: UInt32, maximum: Int)
    /// A variable opaque has the wrong length where the layout fixes it.
    case unexpectedLength(offset: Int, length: UInt32, expected: Int)
    /// A key name (UUID) opaque whose length is not 16.
    case badKeyNameLength(offset: Int, length: UInt32)
    /// A list declares `count` elements of at least `elementSize` bytes each, more than fit in
    /// the bytes left, or more than the caller allows.
    case countExceedsInput(offset: Int, count: UInt32, maximum: Int)
    /// A pad byte after an opaque is not zero (``XDRDecoder/Strictness/strict`` decoding
    /// only: replies and requests are read without looking at pad bytes, as libhal does).
    case nonZeroPadding(offset: Int)
    /// A field follows an opaque whose padding ran past the end of the message (lenient
    /// decoding: the reference server fails such a request with `HAL_ERROR_ASSERTION_FAILED`).
    case fieldAfterMissingPadding(offset: Int)
    /// Bytes are left over after the last field (strict and reply decoding).
    case trailingBytes(offset: Int, count: Int)
    /// A leaf range `[start, end)` at `offset` whose end is below its start.
    case rangeEndsBeforeStart(offset: Int, start: UInt32, end: UInt32)

    public var description: String {
        switch self {
        case let .truncated(offset, needed, available):
            "message truncated at byte \(offset): needs \(needed) more bytes, \(available) left"
        case let .lengthExceedsMaximum(offset, length, maximum):
            "opaque at byte \(offset) declares \(length) bytes, more than the \(maximum) allowed"
        case let .unexpectedLength(offset, length, expected):
            "opaque at byte \(offset) declares \(length) bytes, expected exactly \(expected)"
        case let .badKeyNameLength(offset, length):
            "key name at byte \(offset) is \(length) bytes long, not 16"
        case let .countExceedsInput(offset, count, maximum):
            "list at byte \(offset) declares \(count) elements, at most \(maximum) possible"
        case let .nonZeroPadding(offset):
            "non-zero XDR padding at byte \(offset)"
        case let .fieldAfterMissingPadding(offset):
            "field at byte \(offset) follows an opaque whose padding is missing"
        case let .trailingBytes(offset, count):
            "\(count) unexpected bytes after the last field, at byte \(offset)"
        case let .rangeEndsBeforeStart(offset, start, end):
            "leaf range [\(start), \(end)) at byte \(offset) ends below its start"
        }
    }
}
