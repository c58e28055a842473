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
            // The first PKEY_MATCH reply naming a key (B's new KEKEK): a bit of the name's
            // first byte (code, client, status, state, count and length words come first).
            let (outcomes, damaged) = try await fixture.board("B").withDamagingLink({ reply in
                guard DamagingConnector.function(of: reply) == FunctionNumber.pkeyMatch.rawValue, reply.count >= 40,
                      reply[8..<12].allSatisfy({ $0 == 0 }), !reply[16..<20].allSatisfy({ $0 == 0 }) else { return nil }
                return 24
            }) { b, connector in
                let exporter = ShareExporter(ledger: fixture.ledger, key: fixture.key, boards: [fixture.board("A").link, b], options: .init())
                return (try await exporter.export(.exact(try ShareRequest.parseAmounts("B:8")), from: board("A")), connector.damaged)
            }

            #expect(damaged == 1)
            #expect(outcomes.map(\.state) == [.verified])
            #expect(try await fixture.reports()[board("B")]?.range == leaves(24, 32))
        }
    }
}
