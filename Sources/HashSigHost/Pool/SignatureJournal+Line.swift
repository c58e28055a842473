import Foundation

extension SignatureJournal {
    /// Decodes one journal line (its bytes without the newline): the one place a line's
    /// bytes, which anyone who can write the journal controls, are decoded, so `read(path:)`
    /// and the random-input tests and fuzz target exercise the same decoder.
    /// - Parameters:
    ///   - line: the line's bytes.
    ///   - decoder: a decoder to reuse across lines.
    /// - Throws: the decoder's error (`LedgerParser.describe` words it).
    static func entry(line: some Collection<UInt8>, decoder: JSONDecoder) throws -> Entry {
        try decoder.decode(Entry.self, from: Data(line))
    }
}
