import CryptechTransport
import DurableFile
import Foundation
import HalRPC
import Testing
@testable import HashSigHost

@Suite("Export building blocks")
struct ExportPartsTests {
    @Test("A wrapped share's digest covers both parts and their boundary")
    func digest() {
        let a = WrappedShare(pkcs8: [1, 2, 3], kek: [4])
        let b = WrappedShare(pkcs8: [1, 2], kek: [3, 4])
        #expect(a.digest != b.digest)
        #expect(a.digest == WrappedShare(pkcs8: [1, 2, 3], kek: [4]).digest)
        #expect(WrappedShare(fileBytes: a.fileBytes) == a)
        #expect(WrappedShare(fileBytes: Array(a.fileBytes.dropLast())) == nil)
        #expect(WrappedShare(fileBytes: a.fileBytes + [0]) == nil)
    }

    @Test("Blob files are written atomically with mode 0600, and removed for good")
    func blobStore() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let store = FileShareBlobStore(ledgerPath: directory.file("l.jsonl"))
        let key = try KeyIdentity(String(repeating: "ab", count: 16) + ":" + String(repeating: "cd", count: 32))
        let other = try KeyIdentity(String(repeating: "ab", count: 16) + ":" + String(repeating: "ce", count: 32))
        let share = WrappedShare(pkcs8: Array(repeating: 7, count: 200), kek: Array(repeating: 9, count: 256))
        let trace = DurableTrace()
        try await DurableFile.$trace.withValue(trace) { try await store.store(share, key: key, transfer: "T1") }
        let name = FileShareBlobStore.blobName(key: key, transfer: "T1")
        #expect(trace.operations.contains("fsync .\(name).tmp"))
        #expect(trace.operations.last == "fsync-dir l.jsonl.blobs")
        #expect(try await store.load(key: key, transfer: "T1") == share)
        // Transfer ids count per key: another key's T1 is another blob.
        #expect(try await store.load(key: other, transfer: "T1") == nil)
        let mode = try FileManager.default.attributesOfItem(atPath: store.location(key: key, transfer: "T1"))[.posixPermissions] as? Int
        #expect(mode == 0o600)
        try await store.remove(key: key, transfer: "T1")
        #expect(try await store.load(key: key, transfer: "T1") == nil)
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: store.location(key: key, transfer: "T2")))
        await #expect(throws: LedgerError.self) { try await store.load(key: key, transfer: "T2") }
    }

    @Test("Board errors are sorted by what they mean for one-time keys")
    func classification() {
        let lost = TransportError(.lost, endpoint: "/dev/pts/9", "gone")
        let missing = TransportError(.notFound, endpoint: "/dev/pts/9", "no such device")
        #expect(BoardSigner.classify(HSMClientError.device(.hashsigKeyExhausted)) == .exhausted)
        #expect(BoardSigner.classify(HSMClientError.device(.notReady)) == .busy("\(HALError.notReady)"))
        #expect(BoardSigner.classify(HSMClientError.timeout(function: .pkeySign, after: .seconds(1), requestSent: true))
            == .indeterminate("\(HSMClientError.timeout(function: .pkeySign, after: .seconds(1), requestSent: true))"))
        #expect(BoardSigner.classify(HSMClientError.timeout(function: .pkeySign, after: .seconds(1), requestSent: false))
            == .unreachable("\(HSMClientError.timeout(function: .pkeySign, after: .seconds(1), requestSent: false))"))
        #expect(BoardSigner.classify(HSMClientError.transport(missing)) == .unreachable("\(missing)"))
        #expect(BoardSigner.classify(HSMClientError.transport(lost)) == .indeterminate("\(lost)"))
        #expect(BoardSigner.classify(HSMClientError.device(.forbidden)) == .failed("\(HALError.forbidden)"))
        #expect(HSMClientError.device(.badArguments).mayHaveReachedBoard == false)
        #expect(HSMClientError.damagedReply(function: .pkeyExport, reason: "\(XDRError.truncated(offset: 0, needed: 4, available: 0))").mayHaveReachedBoard)
        #expect(HSMClientError.replyLost(function: .pkeyExport, reason: "probe answered first").mayHaveReachedBoard)
    }

    @Test("A release gives a planned range back to the source only while it still reports it all")
    func release() async throws {
        let fixture = try await LedgerFixture()
        defer { fixture.cleanup() }
        try await fixture.transfer("T1", to: "B", leaves(768, 1024), upTo: .exporting)
        await #expect(throws: LedgerError.self) {
            try await fixture.ledger.append(.released(TransferReleased(transfer: "T1", sourceRange: leaves(0, 768), reason: "x")), key: fixture.key)
        }
        try await fixture.ledger.append(.released(TransferReleased(transfer: "T1", sourceRange: leaves(0, 1024), reason: "refused")),
                                  key: fixture.key)
        let state = try await fixture.reopen().state(of: fixture.key)
        #expect(state.transfers["T1"]?.state == .released)
        #expect(state.holdings[board("A")]?.range == leaves(0, 1024))
        #expect(state.unfinishedTransfers(from: board("A")).isEmpty)
        // The same leaves can be planned again: they never left A.
        try await fixture.transfer("T2", to: "B", leaves(768, 1024), upTo: .planned)
    }
}
