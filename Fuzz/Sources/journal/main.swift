import Foundation
import FuzzDriver
@testable import HashSigHost

// One signer-pool journal line: what decodes re-encodes to a line that decodes the same.
let decoder = JSONDecoder()
let encoder = JSONEncoder()
encoder.outputFormatting = [.sortedKeys]

Fuzzer.run(seeds: {
    try [
        SignatureJournal.Entry(kind: .signature, time: "2025-01-01T00:00:00Z", board: BoardName("A"), topLeafIndex: 7,
                               leafIndices: [7, 3], message: "48656c6c6f", signature: "abab", note: nil),
        SignatureJournal.Entry(kind: .indeterminate, time: "2025-01-01T00:00:01Z", board: BoardName("B"), topLeafIndex: nil,
                               leafIndices: nil, message: "", signature: nil, note: "timed out"),
    ].map { Array(try encoder.encode($0)) }
}) { line in
    if let entry = try? SignatureJournal.entry(line: line, decoder: decoder) {
        let again = try? SignatureJournal.entry(line: Array(try! encoder.encode(entry)), decoder: decoder)
        precondition(again == entry, "a journal entry does not round-trip")
    }
}
