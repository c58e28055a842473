/// The results of a function whose status is its whole answer.
public struct NoResults: Hashable, Sendable, XDRCodable {
    /// The empty result list: an `HAL_OK` reply is the 12-byte header alone.
    public init() {}
    public func encode(to encoder: inout XDREncoder) {}
    public init(from decoder: inout XDRDecoder) throws(XDRError) {}
}
