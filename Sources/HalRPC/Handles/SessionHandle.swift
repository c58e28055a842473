/// The session word of LOAD, OPEN, GENERATE_*, MATCH, IMPORT and HASH_INITIALIZE: chosen by
/// the client, stored by the board and never checked (docs/wire-protocol.md §3.1).
public struct SessionHandle: XDRWord, CustomStringConvertible {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Session 0, what the Python client sends.
    public static let zero = SessionHandle(rawValue: 0)

    public var description: String { hex(rawValue) }
}
