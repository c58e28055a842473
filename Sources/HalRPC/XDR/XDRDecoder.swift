/// Reads XDR fields (docs/wire-protocol.md §2) from one message, front to back, with strict bounds.
///
/// Every read checks the bytes left first; a length or count sent by the peer is compared
/// with what is left (and with the caller's maximum) *before* it sizes an allocation or is
/// rounded up to the 4-byte pad, so a length near 2^32 cannot wrap to a small value.
public struct XDRDecoder: Sendable {
    /// How closely the decoder holds the peer to the encoding rules.
    public enum Strictness: Sendable, Hashable {
        /// Exactly what an encoder writes: pad bytes must be present and zero, and
        /// ``finish()`` rejects bytes after the last field.
        case strict
        /// What a client accepts in a reply: as ``strict``, except that pad bytes, which must
        /// be present, are skipped unchecked, as libhal's XDR decoder skips them; a board that
        /// leaves stale bytes there still answers correctly.
        case reply
        /// What the reference server does with a request (docs/wire-protocol.md §2): an opaque only needs
        /// its unpadded bytes; pad bytes are skipped unchecked; a field after an opaque whose
        /// padding ran off the end fails with ``XDRError/fieldAfterMissingPadding(offset:)``;
        /// ``finish()`` ignores trailing bytes.
        case firmware
    }

    /// How closely this decoder holds the bytes to the encoding rules, chosen by who reads them:
    /// a server, a client, or a test.
    public let strictness: Strictness
    private let bytes: [UInt8]
    /// Offset of the next unread byte.
    public private(set) var offset: Int
    /// Set (firmware mode only) when an opaque's padding ran past the end of the message.
    private var paddingMissing = false

    /// Starts reading `bytes` at their first byte.
    /// - Parameters:
    ///   - bytes: the whole message (or the part to decode).
    ///   - strictness: ``Strictness/strict`` for replies, ``Strictness/firmware`` to read
    ///     requests as the board does.
    public init(_ bytes: [UInt8], strictness: Strictness = .strict) {
        self.bytes = bytes
        self.offset = 0
        self.strictness = strictness
    }

    /// Bytes not yet read.
    public var remaining: Int { bytes.count - offset }

    /// Reads one big-endian `u32`.
    /// - Throws: ``XDRError/truncated(offset:needed:available:)`` when fewer than 4 bytes are left.
    public mutating func decodeUInt32() throws(XDRError) -> UInt32 {
        try checkAvailable(4)
        let i = offset
        offset = i + 4
        return UInt32(bytes[i]) << 24 | UInt32(bytes[i + 1]) << 16 | UInt32(bytes[i + 2]) << 8 | UInt32(bytes[i + 3])
    }

    /// Reads a variable-length opaque: `u32` count, the bytes, zero padding to a multiple of 4.
    /// - Parameter maximum: the most bytes the caller accepts (for example the `sig_max` it
    ///   sent); `nil` means whatever is left in the message.
    /// - Throws: ``XDRError`` when the count exceeds `maximum` or the bytes left, when the
    ///   padding is missing (strict, reply), or when it is not zero (strict).
    public mutating func decodeOpaque(maximum: Int? = nil) throws(XDRError) -> [UInt8] {
        let start = offset
        let length = try decodeUInt32()
        if let maximum, Int(length) > maximum {
            throw .lengthExceedsMaximum(offset: start, length: length, maximum: maximum)
        }
        return try takeOpaqueBody(length: Int(length))
    }

    /// Reads an opaque whose count the layout fixes.
    /// - Throws: ``XDRError/unexpectedLength(offset:length:expected:)`` for any other count,
    ///   or the errors of ``decodeOpaque(maximum:)``.
    public mutating func decodeOpaque(exactly expected: Int) throws(XDRError) -> [UInt8] {
        let start = offset
        let length = try decodeUInt32()
        guard Int(length) == expected else {
            throw .unexpectedLength(offset: start, length: length, expected: expected)
        }
        return try takeOpaqueBody(length: expected)
    }

    /// Reads the element count of a list whose elements take at least `elementSize` bytes,
    /// followed by `trailingBytes` more bytes of fixed fields.
    ///
    /// The reference server answers `HAL_ERROR_RPC_PACKET_OVERFLOW` when `count × size`
    /// exceeds the bytes left (docs/wire-protocol.md §4.3 PKEY_MATCH, _SET/_GET_ATTRIBUTES); the product
    /// is formed in 64 bits here, so it cannot wrap as the reference's 32-bit one does.
    /// - Parameters:
    ///   - elementSize: the smallest encoding of one element, at least 1.
    ///   - trailingBytes: fixed bytes the layout still needs after the list.
    ///   - maximum: the most elements the caller accepts; `nil` for no limit but the input.
    /// - Throws: ``XDRError/countExceedsInput(offset:count:maximum:)``, or ``XDRError/truncated(offset:needed:available:)``.
    public mutating func decodeCount(elementSize: Int, trailingBytes: Int = 0, maximum: Int? = nil) throws(XDRError) -> Int {
        let start = offset
        let count = try decodeUInt32()
        let fits = max(0, remaining - trailingBytes) / max(elementSize, 1)
        let limit = min(fits, maximum ?? Int.max)
        guard Int(count) <= limit else { throw .countExceedsInput(offset: start, count: count, maximum: limit) }
        return Int(count)
    }

    /// Ends decoding.
    /// - Throws: ``XDRError/trailingBytes(offset:count:)`` in strict and reply mode when bytes
    ///   are left; the firmware ignores them (docs/wire-protocol.md §2).
    public func finish() throws(XDRError) {
        if strictness != .firmware, remaining > 0 {
            throw .trailingBytes(offset: offset, count: remaining)
        }
    }

    /// Decodes one value of a type that knows its own layout.
    public mutating func decode<T: XDRDecodable>(_ type: T.Type = T.self) throws(XDRError) -> T {
        try T(from: &self)
    }

    private mutating func checkAvailable(_ needed: Int) throws(XDRError) {
        if paddingMissing { throw .fieldAfterMissingPadding(offset: offset) }
        guard needed <= remaining else { throw .truncated(offset: offset, needed: needed, available: remaining) }
    }

    /// The body and padding of an opaque whose `length` (already bounded by 2^32 - 1) was read.
    private mutating func takeOpaqueBody(length: Int) throws(XDRError) -> [UInt8] {
        // Compare before padding: `length` came from the peer, `remaining` is what we hold.
        try checkAvailable(length)
        let padding = (4 - length % 4) % 4
        let body = Array(bytes[offset..<offset + length])
        offset += length
        switch strictness {
        case .strict:
            try checkAvailable(padding)
            for i in offset..<offset + padding where bytes[i] != 0 {
                throw .nonZeroPadding(offset: i)
            }
            offset += padding
        case .reply:
            try checkAvailable(padding)
            offset += padding
        case .firmware:
            // docs/wire-protocol.md §2: the server advances by the padded length without checking it.
            if padding > remaining {
                offset = bytes.count
                paddingMissing = true
            } else {
                offset += padding
            }
        }
        return body
    }
}
