import Foundation
import HashSig

/// HashSig benchmarks (design.md "Performance targets"): HSS verification on one core and tree
/// building on every core, release build.
enum HashSigBench {
    static func run() {
        do {
            try verifyL2H10W4()
            try verifyTestCase2()
            try treeBuild()
            try sign()
        } catch {
            FileHandle.standardError.write(Data("hashsig bench failed: \(error)\n".utf8))
        }
    }

    /// HSS L = 2 with H10/W4 at both levels, as the board signs; one verification at a time.
    /// The work per signature depends on its message digits, so 16 signatures take turns.
    private static func verifyL2H10W4() throws {
        let key = try HSS.PrivateKey.generate(levels: [
            LMS.Parameters(.sha256M32H10, .sha256N32W4), LMS.Parameters(.sha256M32H10, .sha256N32W4),
        ])
        let messages = (0..<16).map { Array("hashsig benchmark message \($0)".utf8) }
        let signatures = try messages.map { try key.sign($0).bytes }
        let publicKey = key.publicKey
        var turn = 0
        let rate = try Bench.rate(seconds: 2) {
            turn = (turn + 1) % signatures.count
            return try publicKey.verify(signature: signatures[turn], for: messages[turn]).isValid ? 1 : 0
        }
        BenchFigure(name: "hashsig.verify.L2_H10W4", value: rate, unit: "verify/s").print()
    }

    /// RFC 8554 Appendix F Test Case 2 (H10/W4 over H5/W8), read from the test vectors in the
    /// source tree.
    private static func verifyTestCase2() throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Tests/Support/RFC8554Vectors/rfc8554/tc2")
        guard let publicKeyData = try? Data(contentsOf: directory.appendingPathComponent("public_key.bin")),
              let signatureData = try? Data(contentsOf: directory.appendingPathComponent("signature.bin")),
              let messageData = try? Data(contentsOf: directory.appendingPathComponent("message.txt")) else {
            // stdout carries only JSON figures (tools/bench); say why on stderr.
            let note = "hashsig bench: no RFC 8554 vectors under \(directory.path); rfc_tc2 skipped\n"
            FileHandle.standardError.write(Data(note.utf8))
            return
        }
        let publicKey = try HSS.PublicKey(bytes: Array(publicKeyData))
        let signature = Array(signatureData)
        let message = Array(messageData)
        let rate = try Bench.rate(seconds: 2) {
            try publicKey.verify(signature: signature, for: message).isValid ? 1 : 0
        }
        BenchFigure(name: "hashsig.verify.rfc_tc2", value: rate, unit: "verify/s").print()
    }

    /// One H10/W4 tree from a SEED (all 1,024 leaves and the root) on every core.
    private static func treeBuild() throws {
        let seed = try LMS.Seed.random()
        let identifier = [UInt8](repeating: 0x5A, count: 16)
        let seconds = try Bench.bestTime(runs: 7) {
            let tree = try LMS.PrivateKey(parameters: LMS.Parameters(.sha256M32H10, .sha256N32W4),
                                          identifier: identifier, seed: seed)
            return Int(tree.publicKey.root[0])
        }
        BenchFigure(name: "hashsig.treebuild.H10W4", value: seconds * 1000, unit: "ms").print()
    }

    /// Signing with L = 2, H10/W4 at both levels, including the bottom tree's replacement every
    /// 1,024 signatures (amortised), as the software Alpha signs.
    private static func sign() throws {
        let parameters = LMS.Parameters(.sha256M32H10, .sha256N32W4)
        let key = try HSS.PrivateKey.generate(levels: [parameters, parameters])
        let message = Array(repeating: UInt8(0x42), count: 1024)
        let rate = try Bench.rate(seconds: 2) {
            Int(try key.sign(message).topLeafIndex)
        }
        BenchFigure(name: "hashsig.sign.L2_H10W4", value: rate, unit: "sign/s").print()
    }
}
