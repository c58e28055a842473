/// A key attribute with its value: `u32` type, `opaque<>` value (docs/wire-protocol.md §2). Used as a
/// PKEY_MATCH filter and in PKEY_GET_ATTRIBUTES value replies.
public struct Attribute: Hashable, Sendable, XDRCodable {
    /// The attribute's type: a PKCS#11 `CKA_*` value in practice, or an SX1 vendor type.
    public var type: AttributeType
    /// The value's bytes; what they mean is up to whoever set them, except for the SX1 types
    /// (``AttributeType``).
    public var value: [UInt8]

    /// The attribute `type` with `value`.
    public init(type: AttributeType, value: [UInt8]) {
        self.type = type
        self.value = value
    }

    public func encode(to encoder: inout XDREncoder) {
        encoder.encode(type)
        encoder.encodeOpaque(value)
    }

    public init(from decoder: inout XDRDecoder) throws(XDRError) {
        try self.init(from: &decoder, maximumValueLength: nil)
    }

    /// Reads an attribute whose value may be at most `maximumValueLength` bytes.
    /// - Throws: ``XDRError``, also when the value is longer than allowed.
    public init(from decoder: inout XDRDecoder, maximumValueLength: Int?) throws(XDRError) {
        type = try decoder.decode()
        value = try decoder.decodeOpaque(maximum: maximumValueLength)
    }

    /// The smallest encoding (type word and empty value's length word), for list bounds.
    static let minimumSize = 8
}
