import Foundation
import Testing
@testable import HashSigHost

/// `cryptech share checkpoint` on a software Alpha, then what `share status`, `plan` and
/// `audit` catch when the ledger file is tampered with: the four attacks on the ledger's end
/// (an edited last line, a deleted last line, a file cut at a line boundary, a recomputed
/// chain) with the board reachable; what the pinned key alone catches; and the tail after
/// the last checkpoint, which nothing can vouch for.
@Suite("Ledger checkpoints", .serialized,
       .enabled(if: try BuiltExecutables.present(EmulatorBoard.executable, CryptechCLI.executable), "build cryptech-emulator and cryptech first"))
struct LedgerCheckpointTests {
    static let pinVariable = "HASHSIGHOST_TEST_PIN"

    /// A ledger of 6 records (a key, a transfer to B), a board K that holds its checkpoint key,
    /// and the pinned public key.
    struct Setup {
        let fixture: LedgerFixture
        let board: EmulatorBoard
        let pinned: String

        func cryptech(_ arguments: [String]) throws -> CryptechCLI.Run {
            try CryptechCLI.run(arguments, environment: [LedgerCheckpointTests.pinVariable: String(decoding: EmulatorBoard.pin.bytes, as: UTF8.self)])
        }

        var boardArguments: [String] { ["--board", "K=\(board.ttyPath)", "--pin-env", LedgerCheckpointTests.pinVariable] }

        /// The three reads, each with `options`.
        func reads(_ options: [String]) throws -> [(String, CryptechCLI.Run)] {
            let ledger = ["--ledger", fixture.path]
            return [
                ("status", try cryptech(["share", "status"] + ledger + ["--acknowledge-low"] + options)),
                ("plan", try cryptech(["share", "plan"] + ledger + ["--from", "A", "--equal", "A,C"] + options)),
                ("audit", try cryptech(["share", "audit"] + ledger + options)),
            ]
        }
    }

    private func withSetup(firmware: String = "sx1", _ body: (Setup) async throws -> Void) async throws {
        let fixture = try await LedgerFixture()
        defer { fixture.cleanup() }
        try await fixture.transfer("T1", to: "B", leaves(768, 1024), upTo: .verified)
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let board = try await EmulatorBoard("K", in: directory, firmware: firmware)
        await board.release()
        do {
            try await body(Setup(fixture: fixture, board: board, pinned: directory.file("checkpoint.pub")))
        } catch {
            await board.stop()
            throw error
        }
        await board.stop()
    }

    /// Makes the checkpoint over records 1-6 (record 7) and checks the three reads verify it.
    private func checkpoint(_ setup: Setup) async throws {
        let made = try setup.cryptech(["share", "checkpoint", "--ledger", setup.fixture.path, "--checkpoint-key", setup.pinned] + setup.boardArguments)
        #expect(made.status == 0, "\(made.output)")
        #expect(made.output.contains("records 1-6 (digest "), "\(made.output)")
        #expect(made.output.contains("recorded as record 7"))
        #expect(made.output.contains("board K anchors records 1-7"))
        #expect(FileManager.default.fileExists(atPath: setup.pinned))
        let head = try await setup.fixture.reopen().head
        #expect(head.records == 7)
        for (command, run) in try setup.reads(setup.boardArguments + ["--checkpoint-key", setup.pinned]) {
            #expect(run.status == 0, "\(command): \(run.output)")
            #expect(run.output.contains("ledger head 7 records, digest \(head.digest.hex)"), "\(command): \(run.output)")
            #expect(run.output.contains("last checkpoint at record 7 (records 1-6 signed by board K key "), "\(command): \(run.output)")
            #expect(run.output.contains("verified with the pinned key"), "\(command): \(run.output)")
            #expect(run.output.contains("records 1-7 verified; 0 records after them unverified"), "\(command): \(run.output)")
        }
    }

    @Test("A checkpoint on a software Alpha; status, plan and audit with the board catch all four attacks")
    func attacksWithBoard() async throws {
        try await withSetup { setup in
            try await checkpoint(setup)
            let good = try setup.fixture.bytes()
            for (attack, bytes) in try Self.attacks(on: good) {
                try setup.fixture.write(bytes)
                for (command, run) in try setup.reads(setup.boardArguments) {
                    #expect(run.status == 2, "\(attack), \(command): \(run.output)")
                    #expect(run.output.contains("LEDGER ALARM: "), "\(attack), \(command): \(run.output)")
                }
            }
            // Nothing was appended to a tampered ledger, and the genuine one still verifies.
            try setup.fixture.write(good)
            for (command, run) in try setup.reads(setup.boardArguments) {
                #expect(run.status == 0, "\(command): \(run.output)")
                #expect(run.output.contains("verified with board K's key"), "\(command): \(run.output)")
            }
        }
    }

    @Test("Without the board, the pinned key catches an edited checkpoint and a recomputed chain, not a cut file")
    func attacksOffline() async throws {
        try await withSetup { setup in
            try await checkpoint(setup)
            let good = try setup.fixture.bytes()
            let pinned = ["--checkpoint-key", setup.pinned]
            for (attack, bytes) in try Self.attacks(on: good) {
                try setup.fixture.write(bytes)
                for (command, run) in try setup.reads(pinned) {
                    switch attack {
                    case "edited last line", "recomputed chain":
                        #expect(run.status == 2, "\(attack), \(command): \(run.output)")
                        #expect(run.output.contains("LEDGER ALARM: "), "\(attack), \(command): \(run.output)")
                    default:
                        // The checkpoint record went with the cut: only the board remembers it.
                        #expect(run.status == 0, "\(attack), \(command): \(run.output)")
                        #expect(run.output.contains("no checkpoint: nothing outside the file vouches for the ledger"), "\(attack), \(command): \(run.output)")
                    }
                }
            }
            // A checkpoint cannot be made on top of a ledger that fails the board's anchor.
            try setup.fixture.write(Array(good.prefix(Self.lineEnds(good)[2])))
            let refused = try setup.cryptech(["share", "checkpoint", "--ledger", setup.fixture.path, "--checkpoint-key", setup.pinned] + setup.boardArguments)
            #expect(refused.status == 2, "\(refused.output)")
            #expect(refused.output.contains("not signed"), "\(refused.output)")
        }
    }

    @Test("Records after the last checkpoint are reported unverified: changing them is not caught")
    func unverifiedTail() async throws {
        try await withSetup(firmware: "reference") { setup in
            try await checkpoint(setup)
            let ledger = try await setup.fixture.reopen()
            try await setup.fixture.transfer("T2", to: "C", leaves(512, 768), upTo: .verified, on: ledger)
            try await ledger.append(.observed(BoardObservation(board: board("A"), range: nil, next: 5)), key: setup.fixture.key)
            let tail = try setup.fixture.bytes()
            for (command, run) in try setup.reads(setup.boardArguments) {
                #expect(run.status == 0, "\(command): \(run.output)")
                #expect(run.output.contains("ledger head 13 records"), "\(command): \(run.output)")
                #expect(run.output.contains("records 1-7 verified; 6 records after them unverified"), "\(command): \(run.output)")
            }
            // Deleting the last line (after the checkpoint) cannot be told from a shorter history.
            try setup.fixture.write(Array(tail.prefix(Self.lineEnds(tail)[11])))
            for (command, run) in try setup.reads(setup.boardArguments) {
                #expect(run.status == 0, "\(command): \(run.output)")
                #expect(run.output.contains("ledger head 12 records"), "\(command): \(run.output)")
                #expect(run.output.contains("records 1-7 verified; 5 records after them unverified"), "\(command): \(run.output)")
            }
        }
    }

    /// The byte offset just after each line's newline.
    static func lineEnds(_ bytes: [UInt8]) -> [Int] {
        bytes.indices.filter { bytes[$0] == UInt8(ascii: "\n") }.map { $0 + 1 }
    }

    /// The four attacks on a ledger whose last line (7) is its checkpoint.
    static func attacks(on good: [UInt8]) throws -> [(String, [UInt8])] {
        var lines = String(decoding: good, as: UTF8.self).split(separator: "\n").map(String.init)
        try #require(lines.count == 7 && lines[6].contains("\"event\":\"checkpoint\""))
        // Edited last line: one digit of the checkpoint's signature changed.
        var edited = lines
        let signature = try #require(edited[6].range(of: "\"signature\":\""))
        let digit = edited[6].index(signature.upperBound, offsetBy: 10)
        edited[6].replaceSubrange(digit...digit, with: edited[6][digit] == "0" ? "1" : "0")
        // Recomputed chain: record 3 changed, every later `prev` recomputed so the chain holds.
        lines[2] = lines[2].replacingOccurrences(of: testClock(), with: "2025-01-02T00:00:00Z")
        for index in 3..<lines.count {
            let previous = SHA256Digest(of: Array(lines[index - 1].utf8)).hex
            let prev = try #require(lines[index].range(of: #""prev":"[0-9a-f]{64}""#, options: .regularExpression))
            lines[index].replaceSubrange(prev, with: "\"prev\":\"\(previous)\"")
        }
        func joined(_ lines: [String]) -> [UInt8] { Array((lines.joined(separator: "\n") + "\n").utf8) }
        let ends = lineEnds(good)
        return [
            ("edited last line", joined(edited)),
            ("deleted last line", Array(good.prefix(ends[5]))),
            ("cut at a line boundary", Array(good.prefix(ends[0]))),
            ("recomputed chain", joined(lines)),
        ]
    }
}
