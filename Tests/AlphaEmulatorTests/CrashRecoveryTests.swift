#if canImport(Glibc)
import Glibc
#endif
import AlphaEmulator
import HalRPC
import HashSig
import Synchronization
import Testing

/// SIGKILL at random moments of a signing loop (design.md: "a hashsig signature is released
/// only after the advanced index is on disk"): across every restart no leaf index is ever used
/// twice among the signatures that came back.
@Suite("Crash recovery", .serialized)
struct CrashRecoveryTests {
    @Test("50 SIGKILLs during a signing loop: no leaf index used twice", .timeLimit(.minutes(10)))
    func killDuringSigning() async throws {
        var board = try Board.launch()
        var client = try await board.loggedInClient()
        // L=1 H10/W4: every signature moves the persisted top index; 1024 leaves.
        let key = try await client.generateHashsigKey(levels: 1, lmsType: .sha256N32H10, lmotsType: .sha256N32W4, flags: [.digitalSignature, .token])
        let name = try #require(key.name)
        let publicKey = try hssPublicKey(try await key.publicKey())
        var indices: [UInt32] = []
        var handle = key.handle
        var generator = SystemRandomNumberGenerator()
        let kills = 50
        for round in 0..<kills {
            // Sign concurrently with a kill that lands a random 0…40 ms after the round's first
            // signature (so every round contributes, however loaded the machine is).
            let delay = Int.random(in: 0...40, using: &generator)
            let firstSigned = Mutex(false)
            let signer = Task { [client, handle] in
                var got: [(UInt32, [UInt8], [UInt8])] = []
                for index in 0..<1000 {
                    let message = Array("round \(round) message \(index)".utf8)
                    guard let signature = try? await client.pkeySign(handle, input: message, signatureMaximum: 16368, timeout: .seconds(30)) else { break }
                    got.append((try HSS.Signature(bytes: signature).topLeafIndex, message, signature))
                    firstSigned.withLock { $0 = true }
                }
                return got
            }
            while !firstSigned.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(2)) }
            try await Task.sleep(for: .milliseconds(delay))
            board.kill()
            let signed = try await signer.value
            for (index, message, signature) in signed {
                #expect(publicKey.isValidSignature(signature, for: message))
                indices.append(index)
            }
            await client.close()
            board = try board.restart()
            client = try await board.loggedInClient()
            try await waitUntilHashsigReady(client)
            handle = try await client.pkeyOpen(name: name)
        }
        defer { board.stop() }
        // One more signature after the last restart.
        let last = try HSS.Signature(bytes: try await client.pkeySign(handle, input: [1], signatureMaximum: 16368)).topLeafIndex
        indices.append(last)
        #expect(Set(indices).count == indices.count, "a leaf index was used twice")
        #expect(indices.count > kills, "every round signed at least once")
        // Indices only ever go up: a restart resumes after the last persisted one.
        #expect(indices == indices.sorted())
    }
}
