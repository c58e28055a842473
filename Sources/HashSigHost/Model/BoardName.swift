/// The name a person gives one Alpha board in the share ledger ("A", "primary", a USB serial
/// number): the ledger, plans and audits refer to boards by it, never by a tty path, which
/// changes on replug.
///
/// 1 to 64 characters from `A-Z a-z 0-9 . _ -`, so that it fits in a request such as
/// `A:768,B:256` and in a table without quoting.
public struct BoardName: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The name as given.
    public let rawValue: String

    /// Checks and wraps a name.
    /// - Throws: ``ShareModelError/invalidBoardName(_:)``.
    public init(_ text: String) throws(ShareModelError) {
        guard (1...64).contains(text.utf8.count), text.utf8.allSatisfy(Self.isAllowed) else {
            throw .invalidBoardName(text)
        }
        rawValue = text
    }

    private static func isAllowed(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }

    /// The name as given.
    public var description: String { rawValue }

    /// Orders by the name's text, so tables and reports list boards the same way every run.
    public static func < (a: BoardName, b: BoardName) -> Bool { a.rawValue < b.rawValue }

    /// Decodes a JSON string and checks it as ``init(_:)`` does, so a ledger line with an invalid
    /// board name fails to parse rather than enter the state.
    /// - Throws: `DecodingError.dataCorrupted` for a name that is not allowed.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\(error)"))
        }
    }

    /// Encodes the name as a JSON string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
