import Foundation
import HalRPC
import Testing

/// The one leaf-range type: the ledger's JSON form and the checks a peer's words get.
@Suite struct LeafRangeTests {
    @Test func encodesAsTheLedgerWritesIt() throws {
        let range = LeafRange(768..<1024)
        #expect(String(decoding: try JSONEncoder().encode(range), as: UTF8.self) == "[768,1024]")
        #expect(try JSONDecoder().decode(LeafRange.self, from: Data("[768, 1024]".utf8)) == range)
        #expect(range.description == "[768, 1024)")
    }

    @Test func aRangeEndingBelowItsStartIsRefusedNotTrapped() {
        #expect(LeafRange(start: 8, end: 4) == nil)
        #expect(LeafRange(start: 4, end: 4)?.isEmpty == true)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(LeafRange.self, from: Data("[8, 4]".utf8)) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(LeafRange.self, from: Data("[1, 2, 3]".utf8)) }
    }
}
