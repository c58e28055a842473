import BlockingWork
import CryptechHex
import DurableFile
import Foundation
import HashSig
import Testing
@testable import HashSigHost

/// The host's half of the one rule under crashes: what the ledger, the signer pool's journal
/// and software key files leave on disk, and in which order.
@Suite("Host durability")
struct HostDurabilityTests {
    @Test("A ledger writer that waited while repair replaced the file appends to the repaired file")
    func appendWaitingForRepair() async throws {
        let fixture = try await LedgerFixture()
        defer { fixture.cleanup() }
        try await fixture.transfer("T1", to: "B", leaves(768, 1024), upTo: .planned)
        let writer = try await fixture.reopen()
        try fixture.write(try fixture.bytes() + Array(#"{"seq":3,"#.utf8))
        // What repair makes of the torn file, made on a copy.
        let copy = fixture.path + ".copy"
        try Data(try fixture.bytes()).write(to: URL(fileURLWithPath: copy))
        try ShareLedger.repair(path: copy, clock: testClock)
        let repaired = Array(try Data(contentsOf: URL(fileURLWithPath: copy)))

        // Hold the ledger's lock as repair does; a writer queues behind it.
        let holder = try LockedFile(path: fixture.path, wait: .forever)
        let waiter = Task {
            try await writer.append(.observed(BoardObservation(board: board("A"), range: nil, next: 5)), key: fixture.key)
        }
        try await waitUntilBlocked(onLockOf: fixture.path)
        try holder.replaceContents(with: repaired)
        holder.release()
        _ = try await waiter.value

        let final = try await fixture.reopen()
        #expect(final.records.map(\.event.name) == ["key", "planned", "repaired", "observed"])
    }

    @Test("Repair keeps at most 4 KiB of a damaged line, with its size and digest")
    func repairIsCapped() async throws {
        let fixture = try await LedgerFixture()
        defer { fixture.cleanup() }
        let intact = try fixture.bytes()
        let garbage = [UInt8](repeating: UInt8(ascii: "z"), count: 300_000)
        try fixture.write(intact + garbage)
        let repair = try ShareLedger.repair(path: fixture.path, clock: testClock)
        #expect(repair.setAsideByteCount == 300_000)
        #expect(repair.droppedSHA256 == SHA256Digest(of: garbage).hex)
        #expect(repair.droppedBytes == Hex.encode(garbage.prefix(SetAsideBytes.keptLimit)))
        #expect(try fixture.bytes().count < intact.count + 2 * SetAsideBytes.keptLimit + 1_000)
        #expect(try await fixture.reopen().records.count == 2)
    }

    @Test("A torn journal line is tolerated and reported, then set aside by the next writer; anything else unreadable is an error")
    func journalTornTail() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let path = directory.file("signatures.jsonl")
        let journal = SignatureJournal(path: path, clock: testClock)
        try journal.record(kind: .signature, board: board("A"), message: [1], signature: [2], leafIndices: [0, 0])
        let whole = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        // A crash mid-append: half of the second entry.
        let torn = Array(whole.prefix(40)) + [UInt8](repeating: UInt8(ascii: "q"), count: 10_000)
        try Data(whole + torn).write(to: URL(fileURLWithPath: path))

        let read = try SignatureJournal.read(path: path)
        #expect(read.entries.count == 1)
        #expect(read.damaged == [SignatureJournal.DamagedLine(line: 2, byteCount: torn.count, setAside: false)])
        let (_, notes) = SignatureJournal.auditItems(read, path: path)
        #expect(notes.map(\.kind) == ["torn-journal-line"])
        #expect(notes.allSatisfy { !$0.isAlarm })

        try journal.record(kind: .signature, board: board("B"), message: [3], signature: [4], leafIndices: [1, 0])
        let after = try SignatureJournal.read(path: path)
        #expect(after.entries.map(\.board) == [board("A"), board("B")])
        #expect(after.damaged == [SignatureJournal.DamagedLine(line: 2, byteCount: torn.count, setAside: true)])
        let lines = Array(try Data(contentsOf: URL(fileURLWithPath: path))).split(separator: UInt8(ascii: "\n"))
        let marker = try JSONDecoder().decode(SignatureJournal.Entry.self, from: Data(lines[2]))
        #expect(marker.kind == .setAside)
        #expect(marker.setAside?.byteCount == torn.count)
        #expect(marker.setAside?.kept.count == 2 * SetAsideBytes.keptLimit)

        // An unreadable line in the middle, not set aside: not a crash's doing.
        var edited = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        edited.insert(contentsOf: Array("garbage\n".utf8), at: whole.count)
        try Data(edited).write(to: URL(fileURLWithPath: path))
        #expect(throws: LedgerError.self) { try SignatureJournal.read(path: path) }
    }

    @Test("Journal fsync order: a new journal's file and directory entry are fsynced; every entry is written and fsynced before record returns")
    func journalFsyncOrder() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let journal = SignatureJournal(path: directory.file("j.jsonl"), clock: testClock)
        let trace = DurableTrace()
        try DurableFile.$trace.withValue(trace) {
            try journal.record(kind: .signature, board: board("A"), message: [1], signature: [2], leafIndices: [0, 0])
            trace.record("returned")
            try journal.record(kind: .signature, board: board("A"), message: [3], signature: [4], leafIndices: [1, 0])
            trace.record("returned")
        }
        let name = DurableFile.baseName(directory.path)
        #expect(trace.operations == ["create j.jsonl", "fsync j.jsonl", "fsync-dir \(name)", "write j.jsonl", "fsync j.jsonl", "returned",
                                     "write j.jsonl", "fsync j.jsonl", "returned"])
    }

    @Test("A software key's advanced state is durable (temporary, fsync, rename, fsync of the directory) before the signature is returned")
    func softwareKeyFsyncOrder() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let parameters = LMS.Parameters(.sha256M32H5, .sha256N32W8)
        let key = try HSS.PrivateKey.generate(levels: [parameters, parameters])
        let file = SoftwareKeyFile(path: directory.file("k"))
        try file.create(key, replacing: false)
        #expect(throws: SoftwareKeyError.exists(path: file.path)) { try file.create(key, replacing: false) }
        let trace = DurableTrace()
        let (signature, state) = try DurableFile.$trace.withValue(trace) {
            let result = try file.sign([1, 2, 3])
            trace.record("returned")
            return result
        }
        let name = DurableFile.baseName(directory.path)
        #expect(trace.operations == ["create .k.tmp", "write .k.tmp", "fsync .k.tmp", "rename-to-k .k.tmp", "fsync-dir \(name)", "returned"])
        #expect(signature.leafIndices == [0, 0])
        #expect(state.nextLeafIndices == [1, 1])
        let saved = try HSS.PrivateKey(serializedRepresentation: Array(try Data(contentsOf: URL(fileURLWithPath: file.path))))
        #expect(saved.signingState == state)
        #expect(key.publicKey.isValidSignature(signature.bytes, for: [1, 2, 3]))
    }
}

