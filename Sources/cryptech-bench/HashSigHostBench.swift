#if canImport(Glibc)
import Glibc
#endif
import AlphaEmulator
import CryptechTransport
import Foundation
import HalRPC
import HashSig
import HashSigHost

/// HashSigHost benchmarks: host-side HSS verification through the audit path, and signatures
/// per second from a signer pool of two software Alphas (`cryptech-emulator` processes on ptys).
enum HashSigHostBench {
    static func run() {
        Bench.blocking {
            do {
                try await auditVerify()
            } catch {
                FileHandle.standardError.write(Data("hashsighost bench (verify) failed: \(error)\n".utf8))
            }
            do {
                try await poolSign()
            } catch {
                FileHandle.standardError.write(Data("hashsighost bench (pool) failed: \(error)\n".utf8))
            }
        }
    }

    /// HSS verify/s, L = 2 H10/W4 as the board signs, through ``VerificationPolicy`` (software),
    /// and the whole audit (verify, share lookup, one-time-key bookkeeping) per signature.
    private static func auditVerify() async throws {
        let parameters = LMS.Parameters(.sha256M32H10, .sha256N32W4)
        let key = try HSS.PrivateKey.generate(levels: [parameters, parameters], topKeys: .seed(try LMS.Seed.random()))
        let messages = (0..<64).map { Array("hashsighost benchmark message \($0)".utf8) }
        let signatures = try messages.map { try key.sign($0).bytes }
        let policy = VerificationPolicy.software
        var turn = 0
        let verifyRate = try await Bench.rate(seconds: 2) {
            turn = (turn + 1) % signatures.count
            return try await policy.verify(signature: signatures[turn], message: messages[turn], publicKey: key.publicKey) == .valid ? 1 : 0
        }
        BenchFigure(name: "hashsighost.verify.L2_H10W4", value: verifyRate, unit: "verify/s").print()

        let shares = ShareMap(entries: [(LeafRange(0..<1024), .board(try BoardName("A")))])
        var auditor = SignatureAuditor(publicKey: key.publicKey, shares: shares)
        var index = 0
        let auditRate = try await Bench.rate(seconds: 2) {
            index = (index + 1) % signatures.count
            return Int(try await auditor.audit(.init(name: "\(index)", message: messages[index], signature: signatures[index])) ?? 0)
        }
        BenchFigure(name: "hashsighost.audit.L2_H10W4", value: auditRate, unit: "signature/s").print()
    }

    /// Two emulated boards sharing an L = 2 H10/W4 key 512/512; the pool signs (verifying
    /// each signature on the host and journaling it) as fast as the boards allow.
    private static func poolSign() async throws {
        guard EmulatorProcess.locateExecutable() != nil else {
            FileHandle.standardError.write(Data("hashsighost bench: cryptech-emulator not found; pool figure skipped\n".utf8))
            return
        }
        let alphas = try await BenchBoards.start(["A", "B"], for: "hashsighost-bench")
        defer { alphas.terminate() }
        let directory = alphas.directory
        let links = alphas.links
        let generated = try await links[0].client.generateHashsigKey(levels: 2, lmsType: .sha256N32H10, lmotsType: .sha256N32W4,
                                                                     flags: [.digitalSignature, .token, .exportable])
        let key = try await BoardHashsigKey.open(generated.name!, on: links[0])
        let identity = KeyIdentity(key.publicKey)
        let ledger = try await ShareLedger(path: directory + "/shares.jsonl")
        try await ledger.register(key, .generatedJustNow, probeMessage: Array("cryptech-bench probe".utf8))
        _ = try await ShareExporter(ledger: ledger, key: identity, boards: links)
            .export(.exact(try ShareRequest.parseAmounts("A:512,B:512")), from: links[0].name)
        let state = try ledger.state(of: identity)
        var signers: [any ShareSigner] = []
        for link in links {
            let name = KeyName(uuidString: state.holdings[link.name]!.keyName)!
            signers.append(BoardSigner(key: try await BoardHashsigKey.open(name, on: link)))
        }
        let pool = SignerPool(publicKey: key.publicKey, signers: signers, shares: ShareMap(state: state),
                              journal: SignatureJournal(path: directory + "/signatures.jsonl"))
        await pool.refresh()
        let message = Array(repeating: UInt8(0x42), count: 256)
        // Two callers at once, so that both boards are busy.
        let clock = ContinuousClock()
        let start = clock.now
        let counts = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<2 {
                group.addTask {
                    var count = 0
                    while clock.now - start < .seconds(3) {
                        _ = try await pool.sign(message)
                        count += 1
                    }
                    return count
                }
            }
            return try await group.reduce(0, +)
        }
        let seconds = (clock.now - start).seconds
        BenchFigure(name: "hashsighost.pool.sign.2boards_L2_H10W4", value: Double(counts) / seconds, unit: "sign/s").print()
        for link in links { await link.client.close() }
    }
}
