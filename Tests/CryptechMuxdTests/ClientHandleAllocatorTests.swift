@testable import CryptechMuxd
import CryptechTransport
import HalRPC
import Testing

/// A generator that returns the given values, in order.
private struct Scripted: RandomNumberGenerator {
    var values: [UInt64]
    mutating func next() -> UInt64 { values.removeFirst() }
}

@Suite struct ClientHandleAllocatorTests {
    @Test func zeroAndHandlesInUseAreSkipped() {
        var generator = Scripted(values: [0, 0x1234_5678, 0, 0xCAFE_F00D])
        let handle = ClientHandleAllocator().next(inUse: { $0.rawValue == 0x1234_5678 }, using: &generator)
        #expect(handle.rawValue == 0xCAFE_F00D)
    }

    @Test func handlesAreDrawnFromAllThirtyTwoBits() {
        var generator = Scripted(values: [0xFFFF_FFFF_8000_0001])
        #expect(ClientHandleAllocator().next(inUse: { _ in false }, using: &generator).rawValue == 0x8000_0001)
    }

    /// The reason for random handles: a reply whose handle has one bit flipped on the board
    /// link must not name another live connection. Consecutive handles differ in one bit every
    /// second pair; 64 random ones almost never do (each pair: 33 in 2^32).
    @Test func oneFlippedBitDoesNotTurnOneLiveHandleIntoAnother() async throws {
        let harness = try await MuxdHarness.start()
        var links: [any FrameLink] = []
        for _ in 0..<64 { links.append(try await harness.client()) }
        try await harness.waitUntil { await harness.muxd.statistics()["test"]?.clients.count == 64 }
        let handles = try #require(await harness.muxd.statistics()["test"]).clients.keys.sorted()
        #expect(!handles.contains(0))
        #expect(Set(handles).count == 64)
        for (i, a) in handles.enumerated() {
            for b in handles[(i + 1)...] {
                #expect((a ^ b).nonzeroBitCount >= 2, "handles \(a) and \(b) are one bit apart")
            }
        }
        for link in links { await link.close() }
        await harness.stop()
    }
}
