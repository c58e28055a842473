import CryptechTransport
import HalRPC
import Testing
@testable import HashSigHost

/// Replies damaged on the link in ways the protocol cannot see (issue 17): one flipped bit in
/// a success reply, at a chosen place, on a real software Alpha.
@Suite("Damaged replies", .serialized, .enabled(if: try BuiltExecutables.present(EmulatorBoard.executable), "build cryptech-emulator first"))
struct ShareDamagedReplyTests {
    @Test("A KEKEK name damaged in the destination's key list is listed again, not reported as the board's 'key not found'")
    func damagedKEKEKListing() async throws {
        try await BoardFixture.with(["A", "B"], lms: .sha256N32H5) { fixture in
            // The first list naming a key: B's new KEKEK.
            let (outcomes, damaged) = try await fixture.board("B").withDamagingLink(Self.firstListedName) { b, connector in
                let exporter = ShareExporter(ledger: fixture.ledger, key: fixture.key, boards: [fixture.board("A").link, b], options: .init())
                return (try await exporter.export(.exact(try ShareRequest.parseAmounts("B:8")), from: board("A")), connector.damaged)
            }

            #expect(damaged == 1)
            #expect(outcomes.map(\.state) == [.verified])
            #expect(try await fixture.reports()[board("B")]?.range == leaves(24, 32))
        }
    }

    @Test("A hashsig key name damaged in the board's key list is listed again: the board's only key is opened")
    func damagedHashsigListing() async throws {
        try await BoardFixture.with(["A"], lms: .sha256N32H5) { fixture in
            let holding = try #require(try fixture.ledger.state(of: fixture.key).holdings[board("A")])
            let (name, damaged) = try await fixture.board("A").withDamagingLink(Self.firstListedName) { a, connector in
                let key = try await BoardHashsigKey.withListedNames(on: a.client) { names in
                    try await BoardHashsigKey.open(try #require(names.first), on: a)
                }
                await key.close()
                return (key.name, connector.damaged)
            }
            #expect(damaged == 1)
            #expect(name.description == holding.keyName)
        }
    }

    /// In a PKEY_MATCH success reply naming a key: the first byte of the first name (code,
    /// client, status, state, count and length words come first).
    static let firstListedName: @Sendable ([UInt8]) -> Int? = { reply in
        guard DamagingConnector.function(of: reply) == FunctionNumber.pkeyMatch.rawValue, reply.count >= 40,
              reply[8..<12].allSatisfy({ $0 == 0 }), !reply[16..<20].allSatisfy({ $0 == 0 }) else { return nil }
        return 24
    }
}
