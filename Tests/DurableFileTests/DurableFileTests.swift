import BlockingWork
import DurableFile
import Foundation
import SystemPackage
import Testing

/// A fresh directory, removed by `cleanup()`.
struct Scratch {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("durable-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { path + "/" + name }
    var name: String { DurableFile.baseName(path) }
    func contents(_ name: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: file(name)))) }
    func cleanup() { try? FileManager.default.removeItem(atPath: path) }
}

@Suite("Durable files")
struct DurableFileTests {
    @Test("replace: temporary file, fsync, rename, fsync of the directory, in that order; mode kept; no temporary left")
    func replaceOrder() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let trace = DurableTrace()
        try DurableFile.$trace.withValue(trace) {
            try DurableFile.replace(scratch.file("k"), with: [1, 2, 3], mode: FilePermissions(rawValue: 0o600))
        }
        #expect(trace.operations == ["create .k.tmp", "write .k.tmp", "fsync .k.tmp", "rename-to-k .k.tmp", "fsync-dir \(scratch.name)"])
        #expect(try scratch.contents("k") == [1, 2, 3])
        try DurableFile.replace(scratch.file("k"), with: [4])
        #expect(try scratch.contents("k") == [4])
        let mode = try FileManager.default.attributesOfItem(atPath: scratch.file("k"))[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try DurableFile.list(scratch.path) == ["k"])
    }

    @Test("replace refuses to rename over a FIFO, a directory or a symbolic link's name")
    func replaceRefusesNonRegular() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        #expect(mkfifo(scratch.file("fifo"), 0o600) == 0)
        try FileManager.default.createDirectory(atPath: scratch.file("dir"), withIntermediateDirectories: false)
        try DurableFile.replace(scratch.file("target"), with: [1])
        try FileManager.default.createSymbolicLink(atPath: scratch.file("link"), withDestinationPath: scratch.file("target"))
        for name in ["fifo", "dir", "link"] {
            #expect(throws: DurableFileError(path: scratch.file(name), operation: "atomic replace", reason: .notRegularFile)) {
                try DurableFile.replace(scratch.file(name), with: [9])
            }
        }
        #expect(try scratch.contents("target") == [1])
    }

    @Test("bounded reads: a file over the limit, and an endless device, are refused without reading them whole")
    func boundedRead() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        try Data(repeating: 7, count: 100_000).write(to: URL(fileURLWithPath: scratch.file("big")))
        #expect(try DurableFile.read(scratch.file("big"), limit: 100_000)?.count == 100_000)
        #expect(throws: DurableFileError(path: scratch.file("big"), operation: "read", reason: .tooLarge(limit: 99_999))) {
            _ = try DurableFile.read(scratch.file("big"), limit: 99_999)
        }
        #expect(throws: DurableFileError(path: "/dev/zero", operation: "read", reason: .tooLarge(limit: 1_000))) {
            _ = try DurableFile.read("/dev/zero", limit: 1_000)
        }
        #expect(try DurableFile.read("/dev/null", limit: 10) == [])
        #expect(try DurableFile.read(scratch.file("absent"), limit: 10) == nil)
    }

    @Test("makeDirectories fsyncs the directory holding each one it creates")
    func makeDirectories() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let trace = DurableTrace()
        try DurableFile.$trace.withValue(trace) { try DurableFile.makeDirectories(scratch.file("a/b")) }
        #expect(trace.operations == ["mkdir a", "fsync-dir \(scratch.name)", "mkdir b", "fsync-dir a"])
        let again = DurableTrace()
        try DurableFile.$trace.withValue(again) { try DurableFile.makeDirectories(scratch.file("a/b")) }
        #expect(again.operations.isEmpty)
    }

    @Test("a locked file is created durably, reports a torn tail, and appends with fsync")
    func lockedAppend() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let trace = DurableTrace()
        try DurableFile.$trace.withValue(trace) {
            let file = try LockedFile(path: scratch.file("j"), wait: .forever)
            #expect(file.created)
            #expect(try file.tail() == .clean)
            try file.append(Array("one\n".utf8))
            file.release()
        }
        #expect(trace.operations == ["create j", "fsync j", "fsync-dir \(scratch.name)", "write j", "fsync j"])
        let handle = try #require(FileHandle(forWritingAtPath: scratch.file("j")))
        handle.seekToEndOfFile()
        handle.write(Data(repeating: UInt8(ascii: "x"), count: 5_000))
        try handle.close()
        let file = try LockedFile(path: scratch.file("j"), wait: .forever)
        #expect(!file.created)
        #expect(try file.tail() == .torn(offset: 4, byteCount: 5_000))
        #expect(try file.size() == 5_004)
    }

    @Test("a second lock is refused at once with .never, after the wait with .upTo")
    func busy() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let held = try LockedFile(path: scratch.file("l"), wait: .never)
        for wait in [LockedFile.Wait.never, .upTo(.milliseconds(50))] {
            do {
                _ = try LockedFile(path: scratch.file("l"), wait: wait)
                Issue.record("a second lock was granted")
            } catch {
                guard case .busy = error.reason else { throw error }
            }
        }
        held.release()
        _ = try LockedFile(path: scratch.file("l"), wait: .never)
    }

    @Test("a writer that waited while the file was replaced appends to the new file, not the unlinked one")
    func lockSurvivesReplacement() async throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let path = scratch.file("ledger")
        let holder = try LockedFile(path: path, wait: .forever)
        try holder.append(Array("old\n".utf8))
        let waiter = Task {
            try await offThePool {
                let file = try LockedFile(path: path, wait: .forever)
                try file.append(Array("appended\n".utf8))
                file.release()
            }
        }
        // The waiter must be blocked on the old file's lock before the replacement, or the
        // test would not exercise the re-check.
        try await waitUntilBlocked(onLockOf: path)
        try holder.replaceContents(with: Array("repaired\n".utf8))
        holder.release()
        try await waiter.value
        #expect(String(decoding: try scratch.contents("ledger"), as: UTF8.self) == "repaired\nappended\n")
    }

    @Test("temporary names are recognised, and only they")
    func temporaryNames() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        #expect(DurableFile.isTemporary(".k.key.tmp-123-abc"))
        #expect(!DurableFile.isTemporary("k.key"))
        #expect(!DurableFile.isTemporary("k.tmp-1"))
    }
}


