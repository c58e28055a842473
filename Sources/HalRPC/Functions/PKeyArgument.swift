/// The arguments of the functions that take only a key handle (CLOSE, DELETE,
/// GET_KEY_TYPE, GET_KEY_FLAGS, GET_PUBLIC_KEY_LEN, GET_KEY_CURVE).
public struct PKeyArgument: Hashable, Sendable, XDRCodable {
    /// The client's handle for the key, from PKEY_OPEN, PKEY_LOAD or a PKEY_GENERATE_* call.
    public var pkey: PKeyHandle

    /// The argument list naming `pkey`.
    public init(pkey: PKeyHandle) { self.pkey = pkey }

    public func encode(to encoder: inout XDREncoder) { encoder.encode(pkey) }
    public init(from decoder: inout XDRDecoder) throws(XDRError) { pkey = try decoder.decode() }
}
