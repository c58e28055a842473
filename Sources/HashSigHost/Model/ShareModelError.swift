/// A value of the share model that cannot be used.
public enum ShareModelError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A board name outside 1-64 characters of `A-Z a-z 0-9 . _ -`.
    case invalidBoardName(String)
    /// A leaf range whose end is below its start.
    case invalidRange(start: UInt64, end: UInt64)
    /// A key identity that is not `<32 hex digits>:<64 hex digits>`.
    case invalidKeyIdentity(String)
    /// A digest that is not 64 hex digits.
    case invalidDigest(String)

    /// One line quoting the value and saying what a valid one looks like.
    public var description: String {
        switch self {
        case .invalidBoardName(let text):
            "invalid board name '\(text)': use 1 to 64 of A-Z a-z 0-9 . _ -"
        case .invalidRange(let start, let end):
            "invalid leaf range [\(start), \(end)): the end is below the start"
        case .invalidKeyIdentity(let text):
            "invalid key identity '\(text)': expected <I, 32 hex digits>:<T1, 64 hex digits>"
        case .invalidDigest(let text):
            "invalid SHA-256 digest '\(text)': expected 64 hex digits"
        }
    }
}
