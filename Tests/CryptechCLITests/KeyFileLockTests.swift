import Foundation
import Testing

/// `cryptech hashsig sign` from two processes at once on one software key file: the key's
/// lock makes each read-sign-save whole, so no one-time key is used twice.
@Suite struct KeyFileLockTests {
    /// Signatures each of the two signers makes.
    static let perSigner = 500

    @Test("Two processes signing 1,000 times from one key file never repeat a leaf")
    func concurrentSignersNeverRepeatALeaf() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("keylock-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // L=2, H5/W2: 1,024 signatures, cheap to load.
        let keygen = try BuiltProduct.run("cryptech", ["hashsig", "keygen", "--key", "\(dir)/k", "--pubkey", "\(dir)/p",
                                                       "--levels", "2", "--lms", "h5", "--lmots", "w2"])
        #expect(keygen.status == 0, "\(keygen.stderr)")
        try Data("the same message".utf8).write(to: URL(fileURLWithPath: "\(dir)/m"))

        let signers = try ["a", "b"].map { name in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", """
                i=0
                while [ $i -lt \(Self.perSigner) ]; do
                    "$0" hashsig sign --key "$1/k" --sig "$1/\(name)$i" --message "$1/m" 2>/dev/null || exit 1
                    i=$((i + 1))
                done
                """, BuiltProduct.path("cryptech"), dir]
            try process.run()
            return process
        }
        for signer in signers { signer.waitUntilExit() }
        #expect(signers.allSatisfy { $0.terminationStatus == 0 })

        // (top q, lower q) of each signature: L = 2, H5/W2 (docs/wire-protocol.md §8.1): u32 Nspk, the top
        // LMS signature (u32 q, then 4 + 32 + 133 × 32 OTS bytes, u32 type, 5 × 32 path), the
        // lower tree's 56-byte public key, then the lower LMS signature starting with its q.
        let lmsSignature = 4 + (4 + 32 + 133 * 32) + 4 + 5 * 32
        var leaves: [[UInt32]] = []
        for name in ["a", "b"] {
            for index in 0..<Self.perSigner {
                let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: "\(dir)/\(name)\(index)")))
                func word(_ offset: Int) -> UInt32 { bytes[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) } }
                leaves.append([word(4), word(4 + lmsSignature + 56)])
            }
        }
        #expect(leaves.count == 2 * Self.perSigner)
        #expect(Set(leaves).count == leaves.count, "a one-time key was used twice")
        // Every 100th signature verifies under the public key.
        for index in stride(from: 0, to: Self.perSigner, by: 100) {
            let verify = try BuiltProduct.run("cryptech", ["hashsig", "verify", "--pubkey", "\(dir)/p", "--sig", "\(dir)/b\(index)", "--message", "\(dir)/m"])
            #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        }
    }
}
