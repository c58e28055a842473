import CryptechHex
import DurableFile
import Foundation
import EtcdLedger
import HashSig
import Testing
@testable import HashSigHost

@Suite("Share ledger")
struct ShareLedgerTests {
    @Test("Records read back identically; every line carries the SHA-256 of the previous one", arguments: LedgerStoreKind.allCases)
    func roundTrip(store: LedgerStoreKind) async throws {
        try await LedgerFixture.with(store) { fixture in
            try await fixture.transfer("T1", to: "B", leaves(768, 1024), upTo: .verified)
            let reopened = try await fixture.reopen()
            #expect(reopened.records == fixture.ledger.records)
            let lines = try await fixture.storedBytes().split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            #expect(lines.last?.isEmpty == true)
            var previous = SHA256Digest.zero
            for (index, record) in reopened.records.enumerated() {
                #expect(record.sequence == index + 1)
                #expect(record.previous == previous)
                previous = SHA256Digest(of: Array(lines[index]))
            }
            // Readable by a person: one flat object per line with the event's own fields.
            let text = String(decoding: try await fixture.storedBytes(), as: UTF8.self)
            #expect(text.contains(#""event":"planned""#))
            #expect(text.contains(#""range":[768,1024]"#))
            #expect(text.contains(#""destination":"B""#))
        }
    }

    @Test("A transfer moves the share from the top of the source to the destination", arguments: LedgerStoreKind.allCases)
    func lifecycle(store: LedgerStoreKind) async throws {
        try await LedgerFixture.with(store) { fixture in
            try await fixture.transfer("T1", to: "B", leaves(768, 1024), upTo: .planned)
            var state = try fixture.ledger.state(of: fixture.key)
            #expect(state.holdings[board("A")]?.range == leaves(0, 1024))
            #expect(state.transfers["T1"]?.state == .planned)

            let digest = SHA256Digest(of: [1, 2, 3])
            try await fixture.ledger.append([
                .exporting(TransferExporting(transfer: "T1")),
                .exported(TransferExported(transfer: "T1", blobDigest: digest, share: leaves(768, 1024), reportedByBoard: true)),
            ], key: fixture.key)
            state = try fixture.ledger.state(of: fixture.key)
            #expect(state.holdings[board("A")]?.range == leaves(0, 768))
            #expect(state.holdings[board("B")] == nil)
            #expect(state.transfers["T1"]?.state == .exported)

            try await fixture.ledger.append(.imported(TransferImported(transfer: "T1", keyName: "b-key", blobDigest: digest)), key: fixture.key)
            try await fixture.ledger.append(.verified(TransferVerified(transfer: "T1", boardRange: leaves(768, 1024), testSignatureIndex: 769)), key: fixture.key)
            state = try fixture.ledger.state(of: fixture.key)
            #expect(state.holdings[board("B")]?.range == leaves(768, 1024))
            #expect(state.holdings[board("B")]?.next == 770)
            #expect(state.importedDigests[digest] == "T1")
            #expect(state.transfers["T1"]?.state == .verified)
        }
    }

    @Test("Events that would hand out a leaf twice are refused and nothing is written", arguments: [
        "overlap", "used", "notTop", "sameDigest", "importTwice", "destinationHolds", "burnWrongRange",
    ], LedgerStoreKind.allCases)
    func refusals(case name: String, store: LedgerStoreKind) async throws {
        try await LedgerFixture.with(store) { fixture in
            let digest = try await fixture.transfer("T1", to: "B", leaves(768, 1024), upTo: .imported)
            try await fixture.transfer("T2", to: "C", leaves(512, 768), upTo: .planned)
            let before = try await fixture.storedBytes()
            let event: LedgerEvent
            switch name {
            case "overlap":
                event = .planned(TransferPlanned(transfer: "T3", plan: "P", request: "", source: board("A"),
                                                 destination: board("D"), range: leaves(600, 700), method: .sx1))
            case "used":
                event = .planned(TransferPlanned(transfer: "T3", plan: "P", request: "", source: board("A"),
                                                 destination: board("D"), range: leaves(0, 100), method: .sx1))
            case "notTop":
                try await fixture.transfer("T3", to: "D", leaves(100, 200), upTo: .planned)
                event = .exported(TransferExported(transfer: "T3", blobDigest: SHA256Digest(of: [9]), share: leaves(100, 200),
                                                   reportedByBoard: true))
            case "sameDigest":
                event = .exported(TransferExported(transfer: "T2", blobDigest: digest, share: leaves(512, 768), reportedByBoard: true))
            case "importTwice":
                event = .imported(TransferImported(transfer: "T1", keyName: "again", blobDigest: digest))
            case "destinationHolds":
                event = .planned(TransferPlanned(transfer: "T3", plan: "P", request: "", source: board("A"),
                                                 destination: board("B"), range: leaves(100, 200), method: .sx1))
            default:
                event = .burned(RangeBurned(transfer: "T2", board: board("A"), range: leaves(500, 768), reason: "test"))
            }
            let bytesBefore = try await fixture.storedBytes()
            await #expect(throws: LedgerError.self) { try await fixture.ledger.append(event, key: fixture.key) }
            #expect(try await fixture.storedBytes() == bytesBefore)
            #expect(try await fixture.reopen().records.count == fixture.ledger.records.count)
            _ = before
        }
    }

    @Test("A planned range stays reserved after a crash: a new ledger instance still refuses it", arguments: LedgerStoreKind.allCases)
    func reservedAfterCrash(store: LedgerStoreKind) async throws {
        try await LedgerFixture.with(store) { fixture in
            try await fixture.transfer("T1", to: "B", leaves(768, 1024), upTo: .exporting)
            let afterCrash = try await fixture.reopen()
            let state = try afterCrash.state(of: fixture.key)
            #expect(state.transfers["T1"]?.state == .exporting)
            #expect(state.unfinishedTransfers(from: board("A")).map(\.id) == ["T1"])
            await #expect(throws: LedgerError.self) {
                try await afterCrash.append(.planned(TransferPlanned(transfer: "T2", plan: "P2", request: "", source: board("A"),
                                                               destination: board("C"), range: leaves(1000, 1024), method: .sx1)),
                                      key: fixture.key)
            }
            // Burning it (the export happened, the blob was lost) shrinks the source; the range is
            // never free again.
            try await afterCrash.append(.burned(RangeBurned(transfer: "T1", board: board("A"), range: leaves(768, 1024),
                                                      reason: "blob lost")), key: fixture.key)
            let burned = try afterCrash.state(of: fixture.key)
            #expect(burned.holdings[board("A")]?.range == leaves(0, 768))
            await #expect(throws: LedgerError.self) {
                try await afterCrash.append(.planned(TransferPlanned(transfer: "T2", plan: "P2", request: "", source: board("A"),
                                                               destination: board("C"), range: leaves(1000, 1024), method: .sx1)),
                                      key: fixture.key)
            }
        }
    }

    @Test("A last line cut short is reported with its line number, never dropped", arguments: [1, 2, 17, 60])
    func truncated(cut: Int) async throws {
        let fixture = try await LedgerFixture()
        defer { fixture.cleanup() }
        try await fixture.transfer("T1", to: "B", leaves(768, 1024), upTo: .exported)
        let bytes = try fixture.bytes()
        try fixture.write(Array(bytes.dropLast(cut)))
        do {
            _ = try await fixture.reopen()
            Issue.record("a truncated ledger opened")
        } catch LedgerError.truncatedLastLine(let path, let line, let count) {
            #expect(path == fixture.path)
            #expect(line == 4)
            #expect(count > 0)
        }
    }

    @Test("A damaged last line that still ends in a newline is reported")
    func corruptedLast() async throws {
        let fixture = try await LedgerFixture()
        defer { fixture.cleanup() }
        try await fixture.transfer("T1", to: "B", leaves(768, 1024), upTo: .planned)
        var bytes = try fixture.bytes()
        // Zeros where the disk lost a sector: the length is right, the contents are not.
        for index in (bytes.count - 30)..<(bytes.count - 1) { bytes[index] = 0 }
        try fixture.write(bytes)
        await #expect(throws: LedgerError.corruptedLastLine(path: fixture.path, line: 2, reason: "")) {
            do { _ = try await fixture.reopen() } catch LedgerError.corruptedLastLine(let path, let line, _) {
                throw LedgerError.corruptedLastLine(path: path, line: line, reason: "")
            }
        }
    }

    @Test("An edited line breaks the hash chain at the next line")
    func chainBroken() async throws {
        let fixture = try await LedgerFixture()
        defer { fixture.cleanup() }
        try await fixture.transfer("T1", to: "B", leaves(768, 1024), upTo: .imported)
        let text = String(decoding: try fixture.bytes(), as: UTF8.self)
        var lines = text.split(separator: "\n").map(String.init)
        // Still valid JSON, still a consistent history: only the chain notices.
        lines[1] = lines[1].replacingOccurrences(of: #""request":"exact B:256""#, with: #""request":"exact B:255""#)
        try fixture.write(Array((lines.joined(separator: "\n") + "\n").utf8))
        await #expect(throws: LedgerError.chainBroken(path: fixture.path, line: 3)) { try await fixture.reopen() }
    }

    @Test("A contradicting history is refused even with an intact chain")
    func inconsistentFile() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let fixture = try await LedgerFixture()
        defer { fixture.cleanup() }
        // A valid chain whose second record imports a transfer never exported.
        var bytes = try fixture.bytes()
        let record = LedgerRecord(sequence: 2, previous: SHA256Digest(of: Array(bytes.dropLast())), time: "t",
                                  key: fixture.key, event: .imported(TransferImported(transfer: "T9", keyName: "x",
                                                                                      blobDigest: .zero)))
        bytes += LedgerParser.encode(record) + [10]
        try fixture.write(bytes)
        await #expect(throws: LedgerError.inconsistent(path: fixture.path, line: 2, reason: "no transfer T9")) { try await fixture.reopen() }
    }

    @Test("Repair sets a torn last line aside in a record; the ledger then goes on")
    func repair() async throws {
        let fixture = try await LedgerFixture()
        defer { fixture.cleanup() }
        try await fixture.transfer("T1", to: "B", leaves(768, 1024), upTo: .planned)
        let intact = try fixture.bytes()
        try await fixture.ledger.append(.exporting(TransferExporting(transfer: "T1")), key: fixture.key)
        let full = try fixture.bytes()
        let torn = Array(full.dropLast(9))
        try fixture.write(torn)
        let repair = try ShareLedger.repair(path: fixture.path, clock: testClock)
        #expect(repair.line == 3)
        #expect(repair.droppedBytes == Hex.encode(torn[intact.count...]))
        let repaired = try await fixture.reopen()
        #expect(repaired.records.count == 3)
        #expect(repaired.records.last?.event == .repaired(repair))
        #expect(try repaired.state(of: fixture.key).transfers["T1"]?.state == .planned)
        try await repaired.append(.exporting(TransferExporting(transfer: "T1")), key: fixture.key)
        #expect(try await fixture.reopen().records.count == 4)
        #expect(throws: LedgerError.nothingToRepair(path: fixture.path)) { try ShareLedger.repair(path: fixture.path) }
    }

    @Test("Repair refuses damage before the last line")
    func repairRefusesMiddle() async throws {
        let fixture = try await LedgerFixture()
        defer { fixture.cleanup() }
        try await fixture.transfer("T1", to: "B", leaves(768, 1024), upTo: .exported)
        var lines = String(decoding: try fixture.bytes(), as: UTF8.self).split(separator: "\n").map(String.init)
        lines[1] = "{not json"
        try fixture.write(Array((lines.joined(separator: "\n") + "\n").utf8))
        #expect(throws: LedgerError.self) { try ShareLedger.repair(path: fixture.path) }
        #expect(String(decoding: try fixture.bytes(), as: UTF8.self).contains("{not json"))
    }

    @Test("fsync discipline: a new journal fsyncs file and directory; appends fsync the file; repair is temp+fsync+rename+fsync dir")
    func fsyncDiscipline() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let path = directory.file("j.jsonl")
        let directoryName = URL(fileURLWithPath: directory.path).lastPathComponent
        let shares = try await LedgerFixture()
        defer { shares.cleanup() }
        let registration = KeyRegistration(publicKey: Hex.encode(shares.publicKey.bytes), board: board("A"),
                                           keyName: "k", range: leaves(0, 1024), next: 1)
        let trace = DurableTrace()
        try await DurableFile.$trace.withValue(trace) {
            let ledger = try await ShareLedger(path: path, clock: testClock)
            try await ledger.append(.keyRegistered(registration), key: shares.key)
        }
        #expect(trace.operations == ["create j.jsonl", "fsync j.jsonl", "fsync-dir \(directoryName)", "write j.jsonl", "fsync j.jsonl"])

        let second = DurableTrace()
        try await DurableFile.$trace.withValue(second) {
            let ledger = try await ShareLedger(path: path, clock: testClock)
            try await ledger.append(.observed(BoardObservation(board: board("A"), range: nil, next: 5)), key: shares.key)
        }
        #expect(second.operations == ["write j.jsonl", "fsync j.jsonl"])

        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes.removeLast(4)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let third = DurableTrace()
        try DurableFile.$trace.withValue(third) { _ = try ShareLedger.repair(path: path, clock: testClock) }
        let temporary = ".j.jsonl.tmp"
        #expect(third.operations == ["create \(temporary)", "write \(temporary)", "fsync \(temporary)",
                                     "rename-to-j.jsonl \(temporary)", "fsync-dir \(directoryName)"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["j.jsonl"])
    }

    @Test("Two writers (two processes' instances) keep one chain", arguments: LedgerStoreKind.allCases)
    func twoWriters(store: LedgerStoreKind) async throws {
        try await LedgerFixture.with(store) { fixture in
            let other = try await fixture.reopen()
            try await fixture.transfer("T1", to: "B", leaves(768, 1024), upTo: .planned)
            // `other` read before T1 was planned: it must pick it up before appending, and refuse
            // an overlap it could not have seen.
            await #expect(throws: LedgerError.self) {
                try await other.append(.planned(TransferPlanned(transfer: "T2", plan: "P2", request: "", source: board("A"),
                                                          destination: board("C"), range: leaves(1000, 1024), method: .sx1)),
                                 key: fixture.key)
            }
            try await other.append(.planned(TransferPlanned(transfer: "T2", plan: "P2", request: "", source: board("A"),
                                                      destination: board("C"), range: leaves(512, 768), method: .sx1)),
                             key: fixture.key)
            let final = try await fixture.reopen()
            #expect(final.records.count == 3)
            #expect(try final.state(of: fixture.key).transferOrder == ["T1", "T2"])
        }
    }

    @Test("Only one export run holds the ledger at a time", arguments: LedgerStoreKind.allCases)
    func exclusive(store: LedgerStoreKind) async throws {
        try await LedgerFixture.with(store) { fixture in
            try await fixture.ledger.lockForExport()
            let refused = await #expect(throws: LedgerError.self) { try await fixture.reopen().lockForExport() }
            guard case .busy(let path, let holder)? = refused else { Issue.record("not busy: \(String(describing: refused))"); return }
            #expect(path == fixture.path)
            // etcd says who holds it (a file lock cannot).
            #expect((holder != nil) == (store == .etcd), "\(String(describing: holder))")
            await fixture.ledger.releaseExportLock()
            let next = try await fixture.reopen()
            try await next.lockForExport()
            await next.releaseExportLock()
        }
    }

    @Test("Unknown keys are named", arguments: LedgerStoreKind.allCases)
    func unknownKey(store: LedgerStoreKind) async throws {
        try await LedgerFixture.with(store) { fixture in
            let other = try KeyIdentity(String(repeating: "ab", count: 16) + ":" + String(repeating: "cd", count: 32))
            #expect(throws: LedgerError.unknownKey(path: fixture.path, key: other)) { try fixture.ledger.state(of: other) }
        }
    }

    @Test("A ledger cut back under a writer is refused, not appended to forever or blindly")
    func cutBackUnderWriter() async throws {
        let fixture = try await LedgerFixture()
        defer { fixture.cleanup() }
        try await fixture.transfer("T1", to: "B", leaves(768, 1024), upTo: .planned)
        let bytes = try fixture.bytes()
        let newline = try #require(bytes.firstIndex(of: UInt8(ascii: "\n")))
        let firstLine = bytes[...newline]
        try fixture.write(Array(firstLine))
        let error = await #expect(throws: LedgerError.self) {
            try await fixture.ledger.append(.observed(BoardObservation(board: board("A"), range: nil, next: 5)), key: fixture.key)
        }
        guard case .storeFailed(_, let reason)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(reason.contains("cut back or replaced"))
        #expect(try fixture.bytes() == Array(firstLine))
    }
}
