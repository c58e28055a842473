/// One entry of a PKEY_GET_ATTRIBUTES length query (buffer length 0): the type and the
/// length of its value. The reference reports an absent attribute as length 0, not NIL
/// (docs/wire-protocol.md §4.3 [AMBIGUOUS]); ``isAbsent`` accepts both.
public struct AttributeLength: Hashable, Sendable, XDRCodable {
    /// Which attribute, echoed from the request.
    public var type: AttributeType
    /// The value's length in bytes, or an absence marker (see ``isAbsent``); the sum of the
    /// lengths wanted is the `bufferLength` of the second PKEY_GET_ATTRIBUTES call.
    public var length: UInt32

    /// An entry for `type` with a value of `length` bytes.
    public init(type: AttributeType, length: UInt32) {
        self.type = type
        self.length = length
    }

    /// True when the board says the attribute has no value: length 0 (what the reference
    /// sends) or `HAL_PKEY_ATTRIBUTE_NIL` (what the Python client expects).
    public var isAbsent: Bool { length == 0 || length == AttributeUpdate.nilMarker }

    public func encode(to encoder: inout XDREncoder) {
        encoder.encode(type)
        encoder.encode(length)
    }

    public init(from decoder: inout XDRDecoder) throws(XDRError) {
        type = try decoder.decode()
        length = try decoder.decodeUInt32()
    }
}
