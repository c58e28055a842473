import CryptechExitStatus
import RFC8554Vectors
import Foundation
import Testing

@Suite struct CLITests {
    @Test func selfCheckEchoesOverAPty() throws {
        let result = try BuiltProduct.run("cryptech", ["self-check", "--frames", "40"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("self-check: 40 frames"))
        #expect(result.stdout.contains("echoed intact"))
    }

    @Test func devicesListsBoardsOrSaysWhyNot() throws {
        let result = try BuiltProduct.run("cryptech", ["devices"])
        switch ExitStatus(rawValue: result.status) {
        case .success: #expect(result.stdout.contains("0403:6014"))
        case .unreachable: #expect(result.stderr.contains("no Cryptech Alpha attached"))
        case .failed: #expect(result.stderr.contains("libusb"))
        default: Issue.record("unexpected exit status \(result.status): \(result.stderr)")
        }
    }

    @Test func hashsigVerifyExitStatusesFollowTheVerdict() throws {
        let vectors = RFC8554Vectors.directory.path
        let good = try BuiltProduct.run("cryptech", [
            "hashsig", "verify", "--pubkey", "\(vectors)/tc1/public_key.bin", "--sig", "\(vectors)/tc1/signature.bin",
            "--message", "\(vectors)/tc1/message.txt",
        ])
        #expect(good.status == 0, "\(good.stderr)")
        #expect(good.stdout.hasPrefix("valid"))
        let tampered = try BuiltProduct.run("cryptech", [
            "hashsig", "verify", "--pubkey", "\(vectors)/tc1/public_key.bin", "--sig", "\(vectors)/tc1/signature.bin",
            "--message", "-",
        ], stdin: Data("not the message\n".utf8))
        #expect(tampered.status == ExitStatus.failed.rawValue)
        #expect(tampered.stdout.hasPrefix("invalid"))
        let missing = try BuiltProduct.run("cryptech", [
            "hashsig", "verify", "--pubkey", "/nonexistent/pub", "--sig", "\(vectors)/tc1/signature.bin", "--message", "-",
        ], stdin: Data())
        #expect(missing.status == ExitStatus.badInput.rawValue)
        #expect(missing.stderr.contains("/nonexistent/pub"))
    }

    @Test func hashsigKeygenSignVerifyRoundTripsThroughFiles() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let keygen = try BuiltProduct.run("cryptech", ["hashsig", "keygen", "--key", "\(dir)/k", "--pubkey", "\(dir)/p",
                                                       "--levels", "1", "--lms", "h5", "--lmots", "w8"])
        #expect(keygen.status == 0, "\(keygen.stderr)")
        try Data("hello".utf8).write(to: URL(fileURLWithPath: "\(dir)/m"))
        var seen = Set<String>()
        for round in 0..<3 {
            let sign = try BuiltProduct.run("cryptech", ["hashsig", "sign", "--key", "\(dir)/k", "--sig", "\(dir)/s\(round)", "--message", "\(dir)/m"])
            #expect(sign.status == 0, "\(sign.stderr)")
            let verify = try BuiltProduct.run("cryptech", ["hashsig", "verify", "--pubkey", "\(dir)/p", "--sig", "\(dir)/s\(round)", "--message", "\(dir)/m"])
            #expect(verify.status == 0)
            seen.insert(verify.stdout)
        }
        #expect(seen.count == 3, "each signature uses a new leaf index: \(seen)")
    }
}
