import Foundation
import FuzzDriver
import HalRPC
import HashSig
@testable import HashSigHost

// A whole ledger file: it parses to records numbered from 1, or names a damaged line inside
// the input; every record re-encodes to a line that decodes the same.
let decoder = JSONDecoder()

Fuzzer.run(seeds: {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-ledger-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("shares.jsonl").path
    let ledger = try ShareLedger(path: path, clock: { "2025-01-01T00:00:00Z" })
    let top = try LMS.PublicKey(lmsType: .sha256M32H10, lmotsType: .sha256N32W4, identifier: Array(repeating: 1, count: 16),
                                root: Array(repeating: 2, count: 32))
    let publicKey = try HSS.PublicKey(levels: 2, topPublicKey: top)
    let key = KeyIdentity(publicKey)
    let a = try BoardName("A"), b = try BoardName("B")
    let range = LeafRange(768..<1024)
    try ledger.append([
        .keyRegistered(KeyRegistration(publicKey: publicKey, board: a, keyName: "11111111-2222-4333-8444-555555555555",
                                       range: LeafRange(0..<1024), next: 1)),
        .planned(TransferPlanned(transfer: "T1", plan: "P1", request: "exact B:256", source: a, destination: b, range: range, method: .sx1)),
        .exporting(TransferExporting(transfer: "T1")),
        .exported(TransferExported(transfer: "T1", blobDigest: SHA256Digest(of: [1]), share: range, reportedByBoard: true)),
    ], key: key)
    let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    // Every run of whole first lines is a ledger of its own.
    return bytes.indices.filter { bytes[$0] == UInt8(ascii: "\n") }.map { Array(bytes[...$0]) }
}) { bytes in
    switch LedgerParser.scan(bytes, path: "fuzz") {
    case .success(let ledger):
        precondition(ledger.length == bytes.count, "a parsed ledger's length is not the input's")
        for (line, record) in ledger.records.enumerated() {
            precondition(record.sequence == line + 1, "a record's sequence number is not its line's")
            let again = try? decoder.decode(LedgerRecord.self, from: Data(LedgerParser.encode(record)))
            precondition(again == record, "a ledger record does not round-trip")
        }
    case .failure(let failure):
        precondition(failure.damage.line >= 1 && failure.damage.offset < bytes.count, "the damaged line is not inside the input")
    }
}
