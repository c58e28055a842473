/// One change in PKEY_SET_ATTRIBUTES: set an attribute's value, or delete it.
///
/// On the wire a deletion is the type followed by the single word `FF FF FF FF`
/// (`HAL_PKEY_ATTRIBUTE_NIL`) in place of the opaque (docs/wire-protocol.md §2); deleting an absent
/// attribute is not an error on the board.
public enum AttributeUpdate: Hashable, Sendable, XDRCodable {
    /// Sets the attribute of this type to these bytes, adding it if absent.
    case set(AttributeType, [UInt8])
    /// Deletes the attribute of this type (`HAL_PKEY_ATTRIBUTE_NIL` on the wire).
    case delete(AttributeType)

    /// `HAL_PKEY_ATTRIBUTE_NIL`.
    static let nilMarker: UInt32 = 0xFFFF_FFFF

    /// The attribute type this update concerns.
    public var type: AttributeType {
        switch self {
        case .set(let type, _), .delete(let type): type
        }
    }

    public func encode(to encoder: inout XDREncoder) {
        switch self {
        case let .set(type, value):
            encoder.encode(type)
            encoder.encodeOpaque(value)
        case let .delete(type):
            encoder.encode(type)
            encoder.encode(Self.nilMarker)
        }
    }

    public init(from decoder: inout XDRDecoder) throws(XDRError) {
        let type: AttributeType = try decoder.decode()
        // Peek at the length word: the marker must be caught before it is taken for a
        // 4 GiB length (which would fail as truncated).
        var probe = decoder
        if try probe.decodeUInt32() == Self.nilMarker {
            decoder = probe
            self = .delete(type)
        } else {
            self = .set(type, try decoder.decodeOpaque())
        }
    }
}
