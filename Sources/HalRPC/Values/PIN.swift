/// A login PIN: the octets as typed, sent as an `opaque<>` without terminator or character
/// set conversion (docs/wire-protocol.md §6). Its descriptions never show the octets, so a PIN cannot
/// reach a log or a test report by accident.
public struct PIN: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The PIN octets.
    public let bytes: [UInt8]

    /// A PIN from its octets.
    public init(bytes: [UInt8]) { self.bytes = bytes }

    /// A PIN from text, as its UTF-8 octets.
    public init(_ text: String) { self.bytes = Array(text.utf8) }

    /// The lengths the board accepts for LOGIN and SET_PIN; others fail with
    /// `HAL_ERROR_BAD_ARGUMENTS` (docs/wire-protocol.md §6).
    public static let validLengths = 4...4096

    public var description: String { "PIN(\(bytes.count) bytes, redacted)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

extension PIN: XDRCodable {
    public func encode(to encoder: inout XDREncoder) { encoder.encodeOpaque(bytes) }
    public init(from decoder: inout XDRDecoder) throws(XDRError) { self.init(bytes: try decoder.decodeOpaque()) }
}
