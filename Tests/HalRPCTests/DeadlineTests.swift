import HalRPC
import Synchronization
import Testing

/// A call's deadline fits its work (issue 17, item 1): derived from the request, lengthened
/// for a board measured slower, replaced by the caller's or the client's timeout.
@Suite struct DeadlineTests {
    static func keygen(levels: UInt32, _ lms: LMSTypeCode, _ lmots: LMOTSTypeCode) -> RPC.PKeyGenerateHashsig.Request {
        .init(session: .zero, levels: levels, lmsType: lms, lmotsType: lmots, flags: [.digitalSignature, .token])
    }

    @Test func hashsigKeygenDeadlineFollowsTheKeysParameters() {
        let h5 = RPC.PKeyGenerateHashsig.derivedDeadline(for: Self.keygen(levels: 1, .sha256N32H5, .sha256N32W8))
        let h10 = RPC.PKeyGenerateHashsig.derivedDeadline(for: Self.keygen(levels: 1, .sha256N32H10, .sha256N32W8))
        let h10TwoLevels = RPC.PKeyGenerateHashsig.derivedDeadline(for: Self.keygen(levels: 2, .sha256N32H10, .sha256N32W8))
        let h10W2 = RPC.PKeyGenerateHashsig.derivedDeadline(for: Self.keygen(levels: 1, .sha256N32H10, .sha256N32W2))
        // 32 leaves of 34 chains of 255 steps (+2 tree hashes) at the assumed hash rate.
        let h5Work = Duration.seconds(32.0 * (34 * 255 + 2) / RPCDeadline.assumedHashRate)
        #expect(h5 == RPCDeadline.allowance + h5Work * RPCDeadline.margin)
        #expect(h10 - RPCDeadline.allowance == (h5 - RPCDeadline.allowance) * 32, "32 times the leaves, 32 times the work")
        #expect(h10TwoLevels - RPCDeadline.allowance == (h10 - RPCDeadline.allowance) * 2, "a tree per level")
        #expect(h10W2 < h10, "W2 chains are shorter")
        #expect(h5 < RPCTimeout.keyGeneration.duration && h10TwoLevels > RPCTimeout.keyGeneration.duration)
    }

    @Test func rsaKeygenDeadlineGrowsWithTheModulus() {
        func deadline(_ bits: UInt32) -> Duration {
            RPC.PKeyGenerateRSA.derivedDeadline(for: .init(session: .zero, keyLength: bits, publicExponent: [1, 0, 1], flags: [.token]))
        }
        #expect(deadline(2048) == RPCDeadline.allowance + .seconds(30) * RPCDeadline.margin)
        #expect(deadline(4096) - RPCDeadline.allowance == (deadline(2048) - RPCDeadline.allowance) * 8)
    }

    @Test func aFunctionWhoseRequestSaysNothingOfItsWorkWaitsItsClassTime() {
        #expect(RPC.GetVersion.derivedDeadline(for: NoArguments()) == RPCTimeout.short.duration)
        #expect(RPC.Login.derivedDeadline(for: .init(user: .normal, pin: PIN("x"))) == RPCTimeout.standard.duration)
        #expect(RPC.PKeyExport.timeoutClass == .long)
        #expect(RPC.PKeyImport.derivedDeadline(for: .init(session: .zero, kekek: PKeyHandle(rawValue: 1), pkcs8: [], kek: [], flags: []))
            == RPCTimeout.keyGeneration.duration)
    }

    @Test func aSlowBoardGetsLongerDeadlinesAndAFastOneKeepsThem() {
        var pace = BoardPace()
        let expected = Duration.seconds(10)
        let nominal = pace.deadline(.pkeyExport, expected: expected)
        #expect(nominal == RPCDeadline.deadline(expected: expected))
        pace.record(.pkeyExport, expected: expected, took: .milliseconds(50))
        #expect(pace.deadline(.pkeyExport, expected: expected) == nominal, "one quick run never shortens a deadline")
        var slow = BoardPace()
        slow.record(.pkeyExport, expected: expected, took: .seconds(30))
        #expect(slow.deadline(.pkeyExport, expected: expected) == RPCDeadline.deadline(expected: .seconds(30)))
        #expect(slow.deadline(.pkeySign, expected: expected) == nominal, "per function")
    }

    /// The deadline a client waits with is the derived one, unless the call or the client
    /// names one; the observer hears it.
    @Test func theClientWaitsTheDerivedDeadline() async throws {
        let connector = FakeAlphaConnector()
        let events = Mutex<[WaitEvent]>([])
        let observe: @Sendable (WaitEvent) -> Void = { event in events.withLock { $0.append(event) } }
        let client = HSMClient(connector: connector, observer: observe)
        _ = try await client.getVersion()
        _ = try await client.getVersion(timeout: .seconds(42))
        let overridden = HSMClient(connector: connector, timeout: .seconds(7), observer: observe)
        _ = try await overridden.getVersion()
        let deadlines = events.withLock { $0.compactMap { event -> Duration? in
            if case let .began(_, _, deadline, _) = event { deadline } else { nil }
        } }
        #expect(deadlines == [RPC.GetVersion.derivedDeadline(for: NoArguments()), .seconds(42), .seconds(7)])
        #expect(events.withLock { $0.count } == 6, "every wait ends")
    }
}
