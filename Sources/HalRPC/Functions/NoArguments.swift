/// The arguments of a function that takes none after the header.
public struct NoArguments: Hashable, Sendable, XDRCodable {
    public init() {}
    public func encode(to encoder: inout XDREncoder) {}
    public init(from decoder: inout XDRDecoder) throws(XDRError) {}
}
