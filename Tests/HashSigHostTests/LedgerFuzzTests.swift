import Foundation
import HashSig
import RandomInputs
import Testing
@testable import HashSigHost

/// Random and damaged ledgers and signer-pool journal lines (files anyone with write access
/// to them controls) against their decoders: each returns records or a typed
/// ``LedgerError``, never traps; what decodes re-encodes to a line that decodes the same.
@Suite struct LedgerFuzzTests {
    /// JSON's punctuation and the values that break naive number and string handling.
    static let dictionary: [[UInt8]] = [
        "\"", "\\", "\\u0000", "\\ud800", "1e999", "-1", "-0", "18446744073709551616", "4294967296", "9223372036854775808",
        "null", "[]", "{}", ",", ":", "\n", "0.5", "true", "\"seq\":", "\"event\":\"burned\"", "\"kind\":\"refused\"",
    ].map { Array($0.utf8) }

    @Test func ledgers() async throws {
        let fixture = try await LedgerFixture()
        defer { fixture.cleanup() }
        try await fixture.transfer("T1", to: "B", leaves(768, 1024), upTo: .verified)
        try await fixture.transfer("T2", to: "C", leaves(512, 768), upTo: .exported)
        let ledger = try fixture.bytes()
        // Every run of whole first lines is a valid ledger of its own.
        let valid = ledger.indices.filter { ledger[$0] == UInt8(ascii: "\n") }.map { Array(ledger[...$0]) }
        #expect(valid.count == 9)

        var inputs = RandomInputs(seed: 0x4C45_4447, valid: valid, dictionary: Self.dictionary, maximumRandomCount: 200)
        let decoder = JSONDecoder()
        var bytes: [UInt8] = []
        var parsed = 0, damaged = 0
        // Checked without `#expect` in the loop, which costs more than a line in a debug build;
        // each distinct record's round trip once (most inputs share most of their records).
        var wrong: [[UInt8]] = []
        var roundTripped: Set<LedgerRecord> = []
        for index in 0..<RandomInputs.countPerDecoder {
            inputs.next(into: &bytes)
            var right: Bool
            switch LedgerParser.scan(bytes, path: "fuzz") {
            case .success(let ledger):
                parsed += 1
                right = ledger.length == bytes.count && ledger.records.indices.allSatisfy { ledger.records[$0].sequence == $0 + 1 }
                for record in ledger.records where roundTripped.insert(record).inserted {
                    // Each record on its own: re-encoding changes the bytes, so breaks the chain.
                    right = right && (try? decoder.decode(LedgerRecord.self, from: Data(LedgerParser.encode(record)))) == record
                }
            case .failure(let failure):
                damaged += 1
                // The damaged line starts inside the input, after the intact lines.
                right = failure.damage.line >= 1 && failure.damage.offset < bytes.count
            }
            if !right, wrong.count < 5 { wrong.append(bytes) }
            if index % 512 == 511 { await Task.yield() }
        }
        #expect(wrong.isEmpty, "\(wrong)")
        #expect(parsed > 1000 && damaged > 1000)
    }

    @Test func journalLines() async throws {
        let entries: [SignatureJournal.Entry] = [
            .init(kind: .signature, time: "2025-01-01T00:00:00Z", board: board("A"), topLeafIndex: 7, leafIndices: [7, 3],
                  message: "48656c6c6f", signature: String(repeating: "ab", count: 40), note: nil),
            .init(kind: .indeterminate, time: "2025-01-01T00:00:01Z", board: board("B"), topLeafIndex: nil, leafIndices: nil,
                  message: "", signature: nil, note: "timed out"),
            .init(kind: .refused, time: "2025-01-01T00:00:02Z", board: board("C"), topLeafIndex: 4_294_967_295, leafIndices: [],
                  message: "00", signature: "", note: "outside the share"),
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let valid = try entries.map { Array(try encoder.encode($0)) }
        let decoder = JSONDecoder()
        let decode = { (line: [UInt8]) in try? SignatureJournal.entry(line: line, decoder: decoder) }
        #expect(valid.map(decode) == entries)

        let inputs = RandomInputs(seed: 0x4A4F_5552, valid: valid, dictionary: Self.dictionary, maximumRandomCount: 200)
        let run = await RoundTripRun.run(inputs, decode: decode, encode: { Array(try! encoder.encode($0)) })
        #expect(run.decoded > 1000)
        #expect(run.mismatches.isEmpty, "\(run.mismatches)")
    }
}
