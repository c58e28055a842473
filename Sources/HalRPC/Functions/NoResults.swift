/// The results of a function whose status is its whole answer.
public struct NoResults: Hashable, Sendable, XDRCodable {
    public init() {}
    public func encode(to encoder: inout XDREncoder) {}
    public init(from decoder: inout XDRDecoder) throws(XDRError) {}
}
