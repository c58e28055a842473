/// A value that writes itself as XDR.
public protocol XDREncodable: Sendable {
    /// Appends this value's fields in wire order.
    func encode(to encoder: inout XDREncoder)
}

/// A value that reads itself from XDR, needing nothing but the bytes.
public protocol XDRDecodable: Sendable {
    /// Reads this value's fields in wire order.
    /// - Throws: ``XDRError`` when the bytes do not hold a valid encoding.
    init(from decoder: inout XDRDecoder) throws(XDRError)
}

/// Both directions of one layout, written side by side in one type.
public typealias XDRCodable = XDREncodable & XDRDecodable

/// A wire value that is one `u32` (enumerations, flags, handles): the raw value is kept as
/// sent, so a code from newer firmware survives decoding and a server can reject it itself.
public protocol XDRWord: XDRCodable, RawRepresentable, Hashable where RawValue == UInt32 {
    /// The value for a word as it came off the wire; never fails, so an unknown code is kept
    /// rather than rejected by the decoder.
    init(rawValue: UInt32)
}

extension XDRWord {
    public func encode(to encoder: inout XDREncoder) { encoder.encode(rawValue) }

    public init(from decoder: inout XDRDecoder) throws(XDRError) {
        self.init(rawValue: try decoder.decodeUInt32())
    }
}

extension UInt32: XDRCodable {
    public func encode(to encoder: inout XDREncoder) { encoder.encode(self) }
    public init(from decoder: inout XDRDecoder) throws(XDRError) { self = try decoder.decodeUInt32() }
}
