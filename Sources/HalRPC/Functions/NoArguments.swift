/// The arguments of a function that takes none after the header.
public struct NoArguments: Hashable, Sendable, XDRCodable {
    /// The empty argument list; encodes to nothing after the 8-byte header.
    public init() {}
    public func encode(to encoder: inout XDREncoder) {}
    public init(from decoder: inout XDRDecoder) throws(XDRError) {}
}
