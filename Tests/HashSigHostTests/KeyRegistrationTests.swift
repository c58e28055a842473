import HalRPC
import HashSig
import HashSigHost
import Testing

/// `ShareLedger.register`, the one way every program records a board's key, against real
/// `cryptech-emulator` processes with and without SX1.
@Suite("Registering a board's key", .serialized, .enabled(if: try BuiltExecutables.present(EmulatorBoard.executable), "build cryptech-emulator first"))
struct KeyRegistrationTests {
    private let probe = Array("registration test probe".utf8)

    /// A new exportable L = 2 H5/W4 key on `board`.
    private func generate(on board: EmulatorBoard) async throws -> BoardHashsigKey {
        let generated = try await board.client.generateHashsigKey(levels: 2, lmsType: .sha256N32H5, lmotsType: .sha256N32W4,
                                                                  flags: [.digitalSignature, .token, .exportable])
        let key = try await BoardHashsigKey.open(try #require(generated.name), on: board.link)
        try? await generated.close()
        return key
    }

    @Test("SX1: the attributes give range and next; a contradicting stated range is refused; again, it is an observation")
    func sx1() async throws {
        let directory = try TemporaryDirectory()
        try await EmulatorBoard.with("A", in: directory) { board in
            let ledger = try await ShareLedger(path: directory.file("shares.jsonl"))
            let key = try await generate(on: board)
            let (registration, again) = try await ledger.register(key, .generatedJustNow, label: "test", probeMessage: probe)
            #expect(!again)
            // Top leaf 0 signed the first lower tree when the key was made.
            #expect(registration.range == LeafRange(0..<32) && registration.next == 1)
            #expect(registration.rangeLearned == .attributes && registration.probeIndex == nil && registration.label == "test")
            #expect(try ledger.state(of: KeyIdentity(key.publicKey)).holdings[board.name]?.range == LeafRange(0..<32))
            // The handle is released: the board no longer knows it.
            await #expect(throws: HSMClientError.self) { try await key.report() }

            let contradicted = KeyRegistrationError.reportedRangeDiffers(board: board.name, reported: LeafRange(0..<32), stated: LeafRange(0..<16))
            await #expect(throws: contradicted) {
                try await ledger.register(try await BoardHashsigKey.open(key.name, on: board.link), .existing(stated: LeafRange(0..<16)),
                                          probeMessage: probe)
            }
            let (_, recorded) = try await ledger.register(try await BoardHashsigKey.open(key.name, on: board.link), .existing(stated: nil),
                                                          probeMessage: probe)
            #expect(recorded)
            #expect(ledger.keys == [KeyIdentity(key.publicKey)])
            #expect(try ledger.state(of: KeyIdentity(key.publicKey)).holdings.count == 1)
        }
    }

    @Test("Stock firmware: a new key holds its whole top tree, next from a probe; an existing one needs a range a probe confirms")
    func stock() async throws {
        let directory = try TemporaryDirectory()
        try await EmulatorBoard.with("A", in: directory, firmware: "reference") { board in
            let first = try await ShareLedger(path: directory.file("first.jsonl"))
            let key = try await generate(on: board)
            let generated = try await first.register(key, .generatedJustNow, probeMessage: probe).registration
            #expect(generated.range == LeafRange(0..<32) && generated.rangeLearned == .generated)
            let index = try #require(generated.probeIndex)
            #expect(generated.next == index + 1)

            // A ledger that never saw the key: the range must be stated, and the probe must fall in it.
            let second = try await ShareLedger(path: directory.file("second.jsonl"))
            func reopened() async throws -> BoardHashsigKey { try await BoardHashsigKey.open(key.name, on: board.link) }
            await #expect(throws: KeyRegistrationError.rangeUnknown(board: board.name)) {
                try await second.register(try await reopened(), .existing(stated: nil), probeMessage: probe)
            }
            let wrong = LeafRange((index + 1)..<32)
            await #expect(throws: KeyRegistrationError.probeOutsideRange(board: board.name, index: index, range: wrong)) {
                try await second.register(try await reopened(), .existing(stated: wrong), probeMessage: probe)
            }
            #expect(second.keys.isEmpty)
            let stated = try await second.register(try await reopened(), .existing(stated: LeafRange(0..<32)), probeMessage: probe)
            #expect(!stated.alreadyRecorded && stated.registration.rangeLearned == .stated && stated.registration.next == index + 1)

            // The first ledger records the board holding it: its range serves, as an observation.
            let again = try await first.register(try await reopened(), .existing(stated: nil), probeMessage: probe)
            #expect(again.alreadyRecorded && again.registration.rangeLearned == .ledger && again.registration.range == LeafRange(0..<32))
        }
    }
}
