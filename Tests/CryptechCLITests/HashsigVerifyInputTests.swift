#if canImport(Glibc)
import Glibc
#endif
import CryptechExitStatus
import Dispatch
import Foundation
import RFC8554Vectors
import Testing

/// `cryptech hashsig verify` reads its inputs from files, pipes, FIFOs and standard input, each
/// up to a stated bound, and names the input in every error.
@Suite struct HashsigVerifyInputTests {
    static let vectors = RFC8554Vectors.directory.path + "/tc1"
    static let publicKey = vectors + "/public_key.bin"
    static let signature = vectors + "/signature.bin"
    static let message = vectors + "/message.txt"

    @Test("The signature through a FIFO")
    func signatureFromFIFO() throws {
        let directory = try TemporaryFiles()
        defer { directory.remove() }
        let fifo = directory.path + "/signature.fifo"
        #expect(mkfifo(fifo, 0o600) == 0)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: Self.signature))
        let written = DispatchSemaphore(value: 0)
        // Opening a FIFO to write waits for its reader: the command.
        DispatchQueue.global().async {
            if let handle = FileHandle(forWritingAtPath: fifo) {
                handle.write(bytes)
                try? handle.close()
            }
            written.signal()
        }
        let result = try BuiltProduct.run("cryptech", ["hashsig", "verify", "--pubkey", Self.publicKey, "--sig", fifo, "--message", Self.message])
        // A writer still waiting (the command never opened the FIFO) is let go by a reader here.
        let release = open(fifo, O_RDONLY | O_NONBLOCK)
        written.wait()
        close(release)
        #expect(result.status == ExitStatus.success.rawValue, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("valid"))
    }

    @Test("The message through a pipe on standard input, as - and as /dev/stdin", arguments: ["-", "/dev/stdin"])
    func messageFromStandardInput(_ name: String) throws {
        let message = try Data(contentsOf: URL(fileURLWithPath: Self.message))
        let result = try BuiltProduct.run("cryptech", ["hashsig", "verify", "--pubkey", Self.publicKey, "--sig", Self.signature,
                                                       "--message", name], stdin: message)
        #expect(result.status == ExitStatus.success.rawValue, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("valid"))
    }

    @Test("The signature through a pipe on standard input")
    func signatureFromStandardInput() throws {
        let signature = try Data(contentsOf: URL(fileURLWithPath: Self.signature))
        let result = try BuiltProduct.run("cryptech", ["hashsig", "verify", "--pubkey", Self.publicKey, "--sig", "-",
                                                       "--message", Self.message], stdin: signature)
        #expect(result.status == ExitStatus.success.rawValue, "\(result.stderr)")
    }

    @Test("/dev/null as a signature or public key is empty input, not a permission problem", arguments: ["--sig", "--pubkey"])
    func devNull(_ option: String) throws {
        var arguments = ["hashsig", "verify", "--pubkey", Self.publicKey, "--sig", Self.signature, "--message", Self.message]
        arguments[arguments.firstIndex(of: option)! + 1] = "/dev/null"
        let result = try BuiltProduct.run("cryptech", arguments)
        #expect(result.status == ExitStatus.badInput.rawValue)
        #expect(result.stderr.contains("/dev/null is empty"), "\(result.stderr)")
        #expect(!result.stderr.lowercased().contains("permission"))
    }

    @Test("An oversized signature or public key is refused, naming the file and the bound")
    func oversized() throws {
        let directory = try TemporaryFiles()
        defer { directory.remove() }
        let large = directory.path + "/large"
        // Longer than any HSS signature (L = 8 with the longest parameter sets: 74988 bytes).
        try Data(count: 80_000).write(to: URL(fileURLWithPath: large))
        let signature = try BuiltProduct.run("cryptech", ["hashsig", "verify", "--pubkey", Self.publicKey, "--sig", large, "--message", Self.message])
        #expect(signature.status == ExitStatus.badInput.rawValue)
        // tc1's key has L = 2: 4 + 2 · 9324 + 56 bytes at most (H25/W1 at both levels).
        #expect(signature.stderr.contains("signature \(large) is larger than 18708 bytes, the longest HSS signature under a key of 2 levels"),
                "\(signature.stderr)")
        let key = try BuiltProduct.run("cryptech", ["hashsig", "verify", "--pubkey", large, "--sig", Self.signature, "--message", Self.message])
        #expect(key.status == ExitStatus.badInput.rawValue)
        #expect(key.stderr.contains("public key \(large) is larger than 60 bytes"), "\(key.stderr)")
    }

    @Test("An input that cannot be read is named with the system's reason")
    func unreadable() throws {
        let directory = try TemporaryFiles()
        defer { directory.remove() }
        // Root reads any file: there a directory stands for an input that cannot be read.
        let path: String
        let reason: String
        if getuid() == 0 {
            path = directory.path
            reason = "Is a directory"
        } else {
            path = directory.path + "/unreadable"
            try Data([1, 2, 3]).write(to: URL(fileURLWithPath: path))
            #expect(chmod(path, 0) == 0)
            reason = "Permission denied"
        }
        let result = try BuiltProduct.run("cryptech", ["hashsig", "verify", "--pubkey", Self.publicKey, "--sig", path, "--message", Self.message])
        #expect(result.status == ExitStatus.badInput.rawValue)
        #expect(result.stderr.contains("cannot read signature \(path): \(reason)"), "\(result.stderr)")
    }
}

/// A temporary directory, removed by ``remove()``.
struct TemporaryFiles {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
