import CryptechExitStatus
import Foundation
import Testing
@testable import HashSigHost

/// `cryptech share` run as a built binary on a ledger (no board needed): output and exit status.
@Suite("cryptech share (built binary)", .enabled(if: try BuiltExecutables.present(CryptechCLI.executable), "build cryptech first"))
struct ShareCLITests {
    @Test("plan prints every board's range and the export order")
    func plan() async throws {
        let fixture = try await LedgerFixture()
        defer { fixture.cleanup() }
        let run = try CryptechCLI.run(["share", "plan", "--ledger", fixture.path, "--from", "A", "--shares", "A:512,B:256,C:128,D:128"])
        #expect(run.status == 0)
        #expect(run.output == """
            key 000102030405060708090a0b0c0d0e0f:a0a1a2a3…, source A holds [0, 1024), next index 1
            board       range        leaves  unused
            A (source)  [0, 512)        512     511
            B           [512, 768)      256     256
            C           [768, 896)      128     128
            D           [896, 1024)     128     128
            exports, in order: D [896, 1024) (shareCount 128), then C [768, 896) (shareCount 128), then B [512, 768) (shareCount 256)
            board A not reached: whether a lost export reply would burn a share is not known (give --board)
            ledger head 1 records, digest ca0424742661353bab7c5c8f2530425d0c5d33bc57ce88ab884ffd4fbc02f116
            no record of the ledger is verified
            note: no checkpoint: nothing outside the file vouches for the ledger; run 'cryptech share checkpoint'

            """)
        let refused = try CryptechCLI.run(["share", "plan", "--ledger", fixture.path, "--from", "A", "--shares", "B:2000"])
        #expect(refused.status == ExitStatus.failed.rawValue)
        #expect(refused.output.contains("not enough leaves left: 2000 requested, board A has 1023 unused leaves [1, 1024)"))
    }

    @Test("status: JSON for scripts; low capacity is its own exit status unless acknowledged")
    func status() async throws {
        let fixture = try await LedgerFixture()
        defer { fixture.cleanup() }
        try await fixture.transfer("T1", to: "B", leaves(1014, 1024), upTo: .verified)
        let json = try CryptechCLI.run(["share", "status", "--ledger", fixture.path, "--json", "--acknowledge-low", "--low-board", "20"])
        #expect(json.status == 0)
        let body = String(json.output[json.output.firstIndex(of: "{")!...json.output.lastIndex(of: "}")!])
        let status = try JSONDecoder().decode(ShareStatus.self, from: Data(body.utf8))
        #expect(status.boards.map(\.capacity.range) == [leaves(0, 1014), leaves(1014, 1024)])
        #expect(status.transfers.map(\.state) == [.verified])
        // Every read reports the ledger's head; with no checkpoint, nothing vouches for it.
        #expect(status.ledger?.head == (try await fixture.reopen()).head)
        #expect(status.ledger?.head.records == 6)
        #expect(status.ledger?.verifiedRecords == 0)
        #expect(status.ledger?.notes.contains { $0.hasPrefix("no checkpoint") } == true)
        #expect(json.output.contains("warning: board B has 8 one-time keys left"))
        let low = try CryptechCLI.run(["share", "status", "--ledger", fixture.path, "--low-board", "20"])
        #expect(low.status == ExitStatus.lowCapacity.rawValue)
        #expect(low.output.contains("pass --acknowledge-low"))
        let fine = try CryptechCLI.run(["share", "status", "--ledger", fixture.path, "--low-board", "2", "--low-total", "2"])
        #expect(fine.status == 0)
        #expect(fine.output.contains("T1        P-T1  A     B   [1014, 1024)  verified  sx1"))
    }

    @Test("status draws the leaf map under the table: a bar per board over the whole tree, with a legend; --no-map leaves it out")
    func leafMap() async throws {
        let (fixture, _) = try await LeafMapTests.ledgerState()
        defer { fixture.cleanup() }
        let run = try CryptechCLI.run(["share", "status", "--ledger", fixture.path, "--acknowledge-low"])
        #expect(run.status == 0, "\(run.output)")
        // 16 leaves a column. A: used to 133, free to 650, reserved for D to 777, burned to 901,
        // in transit to C to 1000; B: [1000, 1024), next 1002.
        #expect(run.output.contains("""
            leaf map: q 0 to 1024, 16 leaves per column
              A |########---------------------------------rrrrrrrrxxxxxxx>>>>>>> |
              B |                                                              --|
                 - free  # used  r reserved  > in transit  x burned
            """), "\(run.output)")
        let without = try CryptechCLI.run(["share", "status", "--ledger", fixture.path, "--acknowledge-low", "--no-map"])
        #expect(without.status == 0)
        #expect(!without.output.contains("leaf map"))
    }

    @Test("A damaged ledger stops every command (bad input) until repair sets the line aside")
    func damaged() async throws {
        let fixture = try await LedgerFixture()
        defer { fixture.cleanup() }
        try await fixture.transfer("T1", to: "B", leaves(768, 1024), upTo: .exported)
        try fixture.write(Array(try fixture.bytes().dropLast(5)))
        let status = try CryptechCLI.run(["share", "status", "--ledger", fixture.path])
        #expect(status.status == ExitStatus.badInput.rawValue)
        #expect(status.output.contains("line 4 is cut short"))
        let repair = try CryptechCLI.run(["share", "repair", "--ledger", fixture.path])
        #expect(repair.status == 0)
        #expect(repair.output.hasPrefix("set aside line 4"))
        let after = try CryptechCLI.run(["share", "status", "--ledger", fixture.path, "--acknowledge-low"])
        #expect(after.status == 0)
        #expect(after.output.contains("transfer T1 A -> B [768, 1024) is exporting"))
    }

    @Test("audit: a signature that does not verify is an alarm")
    func auditAlarm() async throws {
        let fixture = try await LedgerFixture()
        defer { fixture.cleanup() }
        let signature = fixture.directory.file("forged.sig")
        let message = fixture.directory.file("message")
        try Data(repeating: 0, count: 64).write(to: URL(fileURLWithPath: signature))
        try Data("a message".utf8).write(to: URL(fileURLWithPath: message))
        let audit = try CryptechCLI.run(["share", "audit", "--ledger", fixture.path, "--pair", "\(signature):\(message)"])
        #expect(audit.status == ExitStatus.alarm.rawValue, "\(audit.output)")
    }

    @Test("register: a board that cannot be reached is 'no board', as for every command")
    func unreachableBoard() async throws {
        let fixture = try await LedgerFixture()
        defer { fixture.cleanup() }
        let socket = fixture.directory.file("no-muxd.rpc")
        let register = try CryptechCLI.run(["share", "register", "--ledger", fixture.path, "--pin-env", "SHARE_CLI_TEST_PIN",
                                            "--board", "B=socket:\(socket)", "--range", "0:32"],
                                           environment: ["SHARE_CLI_TEST_PIN": "share-cli-test"])
        #expect(register.status == ExitStatus.unreachable.rawValue, "\(register.output)")
        #expect(register.output.contains(socket))
    }
}
