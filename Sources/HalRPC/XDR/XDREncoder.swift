/// Appends XDR fields (docs/wire-protocol.md §2) to a message. Encoders always write zero padding.
public struct XDREncoder: Sendable {
    /// The message so far.
    public private(set) var bytes: [UInt8]

    /// Starts an empty message.
    /// - Parameter capacity: bytes to reserve, to avoid regrowing for large opaques.
    public init(capacity: Int = 64) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Appends one big-endian `u32`.
    public mutating func encode(_ value: UInt32) {
        bytes.append(UInt8(truncatingIfNeeded: value >> 24))
        bytes.append(UInt8(truncatingIfNeeded: value >> 16))
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value))
    }

    /// Appends a variable-length opaque: count, bytes, zero padding to a multiple of 4.
    ///
    /// A message is at most 16 KiB (the client refuses larger ones before sending), so the
    /// count always fits the `u32`; a longer buffer is a programming error.
    /// - Parameter opaque: the bytes.
    public mutating func encodeOpaque(_ opaque: [UInt8]) {
        precondition(opaque.count <= Int(UInt32.max), "opaque longer than an XDR count can say")
        encode(UInt32(opaque.count))
        bytes.append(contentsOf: opaque)
        bytes.append(contentsOf: Self.zeros[0..<(4 - opaque.count % 4) % 4])
    }

    /// Appends one value of a type that knows its own layout.
    public mutating func encode<T: XDREncodable>(_ value: T) {
        value.encode(to: &self)
    }

    private static let zeros: [UInt8] = [0, 0, 0]
}
