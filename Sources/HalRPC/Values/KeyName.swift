#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A key's name: a 16-byte UUID, sent as an `opaque<>` of exactly 16 bytes
/// (`00 00 00 10` + bytes; docs/wire-protocol.md §2 — never as a bare fixed 16 bytes).
///
/// Ordered as the board orders its keystores: by the bytes, as `memcmp` does (PKEY_MATCH
/// pages through names in that order).
public struct KeyName: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Bytes 0–7 and 8–15, big-endian, so integer order is byte order.
    private let high: UInt64
    private let low: UInt64

    /// The all-zero name: reserved on the board (the token keystore keeps its PIN record
    /// under it), so no key has it; PKEY_MATCH's first lower bound.
    public static let zero = KeyName(high: 0, low: 0)

    private init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// A name from its 16 bytes; `nil` for any other count.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 16 else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        var index = bytes.startIndex
        for _ in 0..<8 {
            high = high << 8 | UInt64(bytes[index])
            index = bytes.index(after: index)
        }
        for _ in 0..<8 {
            low = low << 8 | UInt64(bytes[index])
            index = bytes.index(after: index)
        }
        self.init(high: high, low: low)
    }

    /// The name of a Foundation `UUID`.
    public init(_ uuid: UUID) {
        let u = uuid.uuid
        self.init(bytes: [u.0, u.1, u.2, u.3, u.4, u.5, u.6, u.7, u.8, u.9, u.10, u.11, u.12, u.13, u.14, u.15])!
    }

    /// Parses the usual text form, `1b4e28ba-2fa1-11d2-883f-0016d3cca427` (any case).
    public init?(uuidString: String) {
        guard let uuid = UUID(uuidString: uuidString) else { return nil }
        self.init(uuid)
    }

    /// The 16 bytes, in wire order.
    public var bytes: [UInt8] {
        (0..<16).map { i in UInt8(truncatingIfNeeded: (i < 8 ? high >> (56 - 8 * i) : low >> (56 - 8 * (i - 8)))) }
    }

    /// The same name as a Foundation `UUID`.
    public var uuid: UUID {
        let b = bytes
        return UUID(uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]))
    }

    public static func < (a: KeyName, b: KeyName) -> Bool {
        a.high != b.high ? a.high < b.high : a.low < b.low
    }

    /// Lower-case UUID text, as libhal prints key names.
    public var description: String { uuid.uuidString.lowercased() }
}

extension KeyName: XDRCodable {
    public func encode(to encoder: inout XDREncoder) {
        encoder.encodeOpaque(bytes)
    }

    /// - Throws: ``XDRError/badKeyNameLength(offset:length:)`` when the opaque is not 16 bytes
    ///   long (the server answers `HAL_ERROR_KEY_NAME_TOO_LONG`, docs/wire-protocol.md §3.2).
    public init(from decoder: inout XDRDecoder) throws(XDRError) {
        let start = decoder.offset
        let length = try decoder.decodeUInt32()
        guard length == 16 else {
            // The reference decodes the opaque before it looks at the length (docs/wire-protocol.md §3.2).
            if Int(length) > decoder.remaining {
                throw .truncated(offset: decoder.offset, needed: Int(length), available: decoder.remaining)
            }
            throw .badKeyNameLength(offset: start, length: length)
        }
        // 16 bytes need no padding: read them as words, without an intermediate array.
        let high = UInt64(try decoder.decodeUInt32()) << 32 | UInt64(try decoder.decodeUInt32())
        let low = UInt64(try decoder.decodeUInt32()) << 32 | UInt64(try decoder.decodeUInt32())
        self.init(high: high, low: low)
    }
}
