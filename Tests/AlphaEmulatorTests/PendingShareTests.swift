import HalRPC
import HashSig
import Testing

/// SX1's two-phase export (README, "SX1, for firmware maintainers"): a share stays pending on
/// its source until the host confirms it stored the blob; asked again, the source wraps the
/// same share again; no one else gets its leaves; it survives a restart.
@Suite("Two-phase export", .timeLimit(.minutes(5)))
struct PendingShareTests {
    /// The pending share attribute's 8 bytes.
    static func pending(_ key: PKey) async throws -> [UInt8]? {
        try await key.attributes([.hashsigPendingShare])[.hashsigPendingShare]
    }

    static func words(_ start: UInt32, _ end: UInt32) -> [UInt8] {
        var bytes: [UInt8] = []
        for word in [start, end] {
            for shift: UInt32 in [24, 16, 8, 0] { bytes.append(UInt8(truncatingIfNeeded: word >> shift)) }
        }
        return bytes
    }

    static func newKey(on client: HSMClient) async throws -> PKey {
        try await client.generateHashsigKey(levels: 1, lmsType: .sha256N32H5, lmotsType: .sha256N32W4,
                                            flags: [.digitalSignature, .token, .exportable])
    }

    @Test("asked again, a pending share is wrapped again, the same record; other exports are refused until it is confirmed")
    func repeatedRequest() async throws {
        let board = try Board.launch()
        defer { board.stop() }
        let client = try await board.loggedInClient()
        let key = try await Self.newKey(on: client)
        #expect(try await Self.pending(key) == Self.words(0, 0), "nothing pending, and the board says so")
        let kekek = try HostKEKEK()
        let loaded = try await kekek.onSource(client)

        let first = try await key.export(kekek: loaded, shareCount: 8)
        #expect(first.shareRange == LeafRange(24..<32))
        #expect(try await ranges(key) == [0, 0, 24])
        #expect(try await Self.pending(key) == Self.words(24, 32))

        // The reply was lost: the same request, even with the KEKEK loaded anew, gets the same
        // share, freshly wrapped, and changes nothing.
        let reloaded = try await kekek.onSource(client)
        let second = try await key.export(kekek: reloaded, shareCount: 8)
        #expect(second.shareRange == first.shareRange)
        #expect(second.pkcs8 != first.pkcs8 && second.kek != first.kek, "a fresh wrapping")
        let record = try kekek.open(second)
        #expect(record == (try kekek.open(first)))
        #expect(record.qStart == 24 && record.qEnd == 32)
        #expect(try await ranges(key) == [0, 0, 24])

        // Its leaves go to no one else: another KEKEK, another count, a halving.
        let other = try await HostKEKEK().onSource(client)
        #expect(await status { _ = try await key.export(kekek: other, shareCount: 8) } == .forbidden)
        #expect(await status { _ = try await key.export(kekek: loaded, shareCount: 4) } == .forbidden)
        #expect(await status { _ = try await key.export(kekek: loaded, shareCount: 0) } == .forbidden)
        #expect(await status { _ = try await key.export(kekek: loaded) } == .forbidden)
        #expect(try await ranges(key) == [0, 0, 24])
        // Nor does the source sign with them.
        for _ in 0..<3 {
            #expect(try HSS.Signature(bytes: try await key.sign([1])).topLeafIndex < 24)
        }

        // A confirmation must name the pending share.
        #expect(await status { try await key.updateAttributes([.set(.hashsigPendingShare, Self.words(16, 24))]) } == .badArguments)
        #expect(await status { try await key.updateAttributes([.set(.hashsigPendingShare, [0, 0, 0, 24])]) } == .badAttributeLength)
        #expect(await status {
            try await key.updateAttributes([.set(.hashsigPendingShare, Self.words(24, 32)), .set(AttributeType(rawValue: 1), [1])])
        } == .badArguments)
        #expect(try await Self.pending(key) == Self.words(24, 32))
        try await key.updateAttributes([.set(.hashsigPendingShare, Self.words(24, 32))])
        #expect(try await Self.pending(key) == Self.words(0, 0))
        // Sent again (its reply lost), it changes nothing.
        try await key.updateAttributes([.set(.hashsigPendingShare, Self.words(24, 32))])

        // Confirmed, the key exports again, and the next share is the next range.
        let next = try await key.export(kekek: other, shareCount: 8)
        #expect(next.shareRange == LeafRange(16..<24))
        #expect(try await ranges(key) == [3, 0, 16])
    }

    @Test("a pending share survives a restart: still refused to others, still wrapped again, confirmed once")
    func restart() async throws {
        var board = try Board.launch()
        defer { board.stop() }
        var client = try await board.loggedInClient()
        let key = try await Self.newKey(on: client)
        let name = try #require(key.name)
        let kekek = try HostKEKEK()
        let first = try await key.export(kekek: try await kekek.onSource(client), shareCount: 8)
        #expect(first.shareRange == LeafRange(24..<32))

        // Killed right after the reply left: what is on disk is what counts.
        board.kill()
        board = try board.restart()
        client = try await board.loggedInClient()
        var reopened = try await client.openKey(name: name)
        #expect(try await Self.pending(reopened) == Self.words(24, 32))
        #expect(try await ranges(reopened) == [0, 0, 24])
        let other = try await HostKEKEK().onSource(client)
        #expect(await status { _ = try await reopened.export(kekek: other, shareCount: 8) } == .forbidden)
        let again = try await reopened.export(kekek: try await kekek.onSource(client), shareCount: 8)
        #expect(again.shareRange == first.shareRange)
        #expect(try kekek.open(again) == (try kekek.open(first)))
        try await reopened.updateAttributes([.set(.hashsigPendingShare, Self.words(24, 32))])

        board.kill()
        board = try board.restart()
        client = try await board.loggedInClient()
        reopened = try await client.openKey(name: name)
        #expect(try await Self.pending(reopened) == Self.words(0, 0), "the confirmation is on disk too")
        let reloaded = try await kekek.onSource(client)
        #expect(try await reopened.export(kekek: reloaded, shareCount: 8).shareRange == LeafRange(16..<24))
    }

    @Test("stock firmware keeps nothing pending: no attribute, and the same request again takes the next leaves")
    func stockFirmware() async throws {
        let board = try Board.launch(firmware: .reference)
        defer { board.stop() }
        let client = try await board.loggedInClient()
        let key = try await Self.newKey(on: client)
        #expect(try await Self.pending(key) == nil)
        let loaded = try await HostKEKEK().onSource(client)
        let first = try await key.export(kekek: loaded, shareCount: 8)
        #expect(first.shareRange == nil)
        _ = try await key.export(kekek: loaded, shareCount: 8)
        #expect(try await Self.pending(key) == nil, "a lost reply's share is gone")
    }
}
