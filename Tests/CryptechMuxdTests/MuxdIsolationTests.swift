import CryptechMuxd
import HalRPC
import Testing

/// One client of a board cannot touch another's keys through the muxd, whatever the board's
/// firmware does: real software Alphas behind the daemon (issue: client isolation).
@Suite("Muxd handle isolation", .serialized)
struct MuxdIsolationTests {
    static let pin = PIN("isolation-pin")

    /// The key's flags carry DATAENCIPHERMENT: an export that reached the board would rewrite
    /// them to exactly 0x29 (docs/wire-protocol.md §8.7 step 6), so the flags show it never did.
    static let ownerFlags: KeyFlags = [.digitalSignature, .dataEncipherment, .token, .exportable]

    @Test("A stranger on the same muxd cannot find, sign with, export, read or delete another connection's key, nor log everyone out",
          arguments: ["sx1", "reference"])
    func seedTheft(firmware: String) async throws {
        try await SoftwareAlphaRig.with(boardArguments: [SoftwareAlphaRig.pinArguments(user: Self.pin) + ["--firmware", firmware]]) { rig in
            let owner = rig.client()
            try await owner.login(user: .normal, pin: Self.pin)
            let key = try await owner.generateHashsigKey(levels: 1, lmsType: .sha256N32H5, lmotsType: .sha256N32W4, flags: Self.ownerFlags)
            let handle = key.handle
            let before = try await Self.leafIndex(key)

            let stranger = rig.client()
            // Probing for the handle: the first token key on a stock board is 0x80010000.
            await #expect(throws: HSMClientError.device(.keyNotFound)) { try await stranger.pkeyGetKeyType(handle) }
            #expect(try await stranger.pkeyGetPublicKeyLength(handle) == 0)
            // Its own key-encryption key needs no login (PUBLIC, not TOKEN), and is its own to use...
            let kekek = try await stranger.generateRSAKey(keyLength: 1024, flags: [.keyEncipherment, .public])
            #expect(try await stranger.pkeyGetKeyType(kekek.handle) == .rsaPrivate)
            // ...but not with the owner's key: no share of it, no SEED.
            await #expect(throws: HSMClientError.device(.keyNotFound)) {
                _ = try await stranger.pkeyExport(handle, kekek: kekek.handle, shareCount: 4)
            }
            await #expect(throws: HSMClientError.device(.keyNotFound)) { _ = try await stranger.pkeySign(handle, input: [1], signatureMaximum: 4096) }
            await #expect(throws: HSMClientError.device(.keyNotFound)) {
                _ = try await stranger.pkeyGetAttributes(handle, types: [.hashsigRangeEnd], bufferLength: 0)
            }
            await #expect(throws: HSMClientError.device(.keyNotFound)) { try await stranger.pkeySetAttributes(handle, [.set(AttributeType(rawValue: 3), [1])]) }
            await #expect(throws: HSMClientError.device(.keyNotFound)) { try await stranger.pkeyDelete(handle) }
            await #expect(throws: HSMClientError.device(.forbidden)) { try await stranger.logoutAll() }
            try await stranger.login(user: .normal, pin: Self.pin)
            await #expect(throws: HSMClientError.device(.forbidden)) { try await stranger.logoutAll() }
            await #expect(throws: HSMClientError.device(.keyNotFound)) { try await stranger.pkeyDelete(handle) }

            // None of it reached the board: the owner is still logged in, its key whole and
            // unexported, its next leaf the one after its last.
            let stats = try #require(await rig.muxd.statistics()["board0"])
            // Twelve: the two reads (GET_KEY_TYPE, GET_ATTRIBUTES) are each asked twice before
            // their error is believed (a flipped bit is not flipped the same way twice).
            #expect(stats.isolationRefusals == 12)
            #expect(try await owner.isLoggedIn(user: .normal))
            #expect(try await key.flags() == Self.ownerFlags)
            #expect(try await Self.leafIndex(key) == before + 1)
            try await key.delete()
            await owner.close()
            await stranger.close()
        }
    }

    @Test("Without isolation (the reference daemon's behaviour) a stock board hands the stranger a share of the key")
    func theWeaknessIsReal() async throws {
        try await SoftwareAlphaRig.with(boardArguments: [SoftwareAlphaRig.pinArguments(user: Self.pin) + ["--firmware", "reference"]],
                                        configure: { $0.isolatesHandles = false }) { rig in
            let owner = rig.client()
            try await owner.login(user: .normal, pin: Self.pin)
            let key = try await owner.generateHashsigKey(levels: 1, lmsType: .sha256N32H5, lmotsType: .sha256N32W4, flags: Self.ownerFlags)
            let stranger = rig.client()
            let kekek = try await stranger.generateRSAKey(keyLength: 1024, flags: [.keyEncipherment, .public])
            let stolen = try await stranger.pkeyExport(key.handle, kekek: kekek.handle)
            #expect(!stolen.pkcs8.isEmpty)
            #expect(try await key.flags() == KeyFlags(rawValue: 0x29))
            try await stranger.logoutAll()
            #expect(try await !owner.isLoggedIn(user: .normal))
            await owner.close()
            await stranger.close()
        }
    }

    @Test("Handles are the connection's: a closed one is gone, a new connection starts with none, and the owner's own use is unaffected")
    func ownersKeepTheirHandles() async throws {
        try await SoftwareAlphaRig.with(boardArguments: [SoftwareAlphaRig.pinArguments(user: Self.pin)]) { rig in
            let owner = rig.client()
            try await owner.login(user: .normal, pin: Self.pin)
            let ec = try await owner.generateECKey(curve: .p256, flags: [.digitalSignature, .token])
            let digest = try await owner.digest(algorithm: .sha256)
            try await digest.update(Array("message".utf8))
            let signature = try await owner.pkeySign(ec.handle, hash: digest.handle, signatureMaximum: 128)
            #expect(signature.count == 64)
            // The hash handle was consumed by the sign: gone for its owner too.
            await #expect(throws: HSMClientError.device(.badArguments)) { try await owner.hashUpdate(hash: digest.handle, data: [1]) }
            let name = try #require(ec.name)
            try await owner.pkeyClose(ec.handle)
            await #expect(throws: HSMClientError.device(.keyNotFound)) { try await owner.pkeyGetKeyType(ec.handle) }
            let reopened = try await owner.openKey(name: name)
            #expect(try await reopened.flags() == [.digitalSignature, .token])
            // A second connection opens the same token key: its own handle, usable by it alone.
            let other = rig.client()
            try await other.login(user: .normal, pin: Self.pin)
            let theirs = try await other.openKey(name: name)
            #expect(try await other.pkeyGetKeyType(theirs.handle) == .ecPrivate)
            await #expect(throws: HSMClientError.device(.keyNotFound)) { try await other.pkeyGetKeyType(reopened.handle) }
            try await reopened.delete()
            await owner.close()
            await other.close()
        }
    }

    /// Signs once and returns the top-level leaf index (L = 1: the leaf itself).
    static func leafIndex(_ key: PKey) async throws -> UInt32 {
        let signature = try await key.sign(Array("probe".utf8))
        // u32 Nspk (0) ‖ u32 q ‖ …: with L = 1 the leaf index is the second word.
        return signature[4..<8].reduce(0) { $0 << 8 | UInt32($1) }
    }

    @Test("PIN guessing through many connections: the board checks wrong PINs no faster than the back-off allows; the right PIN still works")
    func pinGuessingIsHeldBack() async throws {
        let backoff = LoginBackoff(initial: .milliseconds(50), maximum: .milliseconds(200))
        try await SoftwareAlphaRig.with(boardArguments: [SoftwareAlphaRig.pinArguments(user: Self.pin)],
                                        configure: { $0.loginBackoff = backoff }) { rig in
            let clock = ContinuousClock()
            let started = clock.now
            // Eight connections guess at once, as fast as their answers come.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<8 {
                    group.addTask {
                        let guesser = rig.client()
                        for attempt in 0..<4 {
                            await #expect(throws: HSMClientError.device(.pinIncorrect)) {
                                try await guesser.login(user: .normal, pin: PIN("guess-\(worker)-\(attempt)"))
                            }
                        }
                        await guesser.close()
                    }
                }
                try await group.waitForAll()
            }
            let elapsed = clock.now - started
            let stats = try #require(await rig.muxd.statistics()["board0"])
            #expect(stats.wrongPINs == 32)
            #expect(stats.loginsHeld > 0)
            // The k-th wrong PIN in a row holds the next check back by delay(k): 32 checks
            // cannot fit in less than the sum of the first 31 delays.
            let least = (1..<32).reduce(Duration.zero) { $0 + backoff.delay(afterFailures: $1) }
            #expect(elapsed >= least, "32 wrong PINs checked in \(elapsed), the back-off allows no fewer than \(least)")
            // The right PIN, after the back-off, logs in; and ends the back-off.
            let owner = rig.client()
            try await owner.login(user: .normal, pin: Self.pin)
            #expect(try await owner.isLoggedIn(user: .normal))
            await owner.close()
        }
    }

    @Test("A closed connection's handles are released on the board: 300 connections in turn each open a key, on a board of 256 slots")
    func handlesAreReleasedAtDisconnect() async throws {
        for isolation in [true, false] {
            try await SoftwareAlphaRig.with(boardArguments: [SoftwareAlphaRig.pinArguments(user: Self.pin) + ["--firmware", "reference"]],
                                            configure: { $0.isolatesHandles = isolation }) { rig in
                let owner = rig.client()
                try await owner.login(user: .normal, pin: Self.pin)
                let key = try await owner.generateECKey(curve: .p256, flags: [.digitalSignature, .token])
                let name = try #require(key.name)
                var opened = 0
                var failure: (any Error)?
                for _ in 0..<300 {
                    let visitor = rig.client()
                    do {
                        try await visitor.login(user: .normal, pin: Self.pin)
                        _ = try await visitor.openKey(name: name)
                        _ = try await visitor.digest(algorithm: .sha256)
                        opened += 1
                    } catch {
                        failure = error
                    }
                    await visitor.close()
                    if failure != nil { break }
                }
                if isolation {
                    #expect(opened == 300, "stopped at \(opened): \(failure.map { "\($0)" } ?? "")")
                } else {
                    // The reference daemon leaves them allocated (LOGOUT releases none on a
                    // stock board): the slots run out.
                    #expect(opened < 300)
                    #expect(failure as? HSMClientError == .device(.noKeySlotsAvailable) || failure as? HSMClientError == .device(.allocationFailure))
                }
                try await key.delete()
                await owner.close()
            }
        }
    }
}
