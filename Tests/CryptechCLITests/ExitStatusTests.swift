import CryptechExitStatus
import Foundation
import RFC8554Vectors
import Testing

/// One exit-status table for every executable: representative cases of each status, run on
/// the built binaries, and the table in every `--help` and the README.
@Suite struct ExitStatusTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var executable: String
        var arguments: [String]
        var environment: [String: String?] = [:]
        var status: ExitStatus
        /// Text the output (standard output, then standard error) must hold.
        var says: String
        var testDescription: String { "\(executable) \(arguments.joined(separator: " ")) → \(status.rawValue)" }
    }

    static let vectors = RFC8554Vectors.directory.path + "/tc1"
    static let missingSocket = "/nonexistent/cryptech-test.rpc"
    /// Boards and PINs the caller's environment may name, which these cases must not see.
    static let noBoards: [String: String?] = ["CRYPTECH_HIL_DEVICE": nil, "CRYPTECH_HIL_SOCKET": nil, "CRYPTECH_PIN": nil]

    static let cases: [Case] = [
        Case(executable: "cryptech", arguments: ["hashsig", "verify", "--pubkey", vectors + "/public_key.bin", "--sig", vectors + "/signature.bin",
                                                 "--message", vectors + "/public_key.bin"],
             status: .failed, says: "invalid: "),
        Case(executable: "cryptech", arguments: ["hashsig", "pubkey", "--key", vectors + "/message.txt"],
             status: .badInput, says: "key file \(vectors)/message.txt"),
        Case(executable: "cryptech", arguments: ["version", "--socket", missingSocket],
             status: .unreachable, says: missingSocket),
        Case(executable: "cryptech", arguments: ["hashsig", "pubkey", "--socket", missingSocket, "--pin-env", "CRYPTECH_TEST_PIN"],
             environment: ["CRYPTECH_TEST_PIN": "exit-status-test"], status: .unreachable, says: missingSocket),
        Case(executable: "cryptech-hil", arguments: ["--socket", missingSocket], environment: noBoards,
             status: .unreachable, says: missingSocket),
        Case(executable: "cryptech", arguments: ["hashsig", "verify", "--sig", vectors + "/signature.bin"],
             status: .usage, says: "Missing expected argument '--pubkey <file|->'"),
        Case(executable: "cryptech", arguments: ["hashsig", "keygen", "--pubkey", "/nonexistent/p"],
             status: .usage, says: "Missing expected argument '--key <file>' (or give --device or --socket"),
        Case(executable: "cryptech", arguments: ["hashsig", "sign", "--key", "-", "--sig", "/nonexistent/s"],
             status: .usage, says: "--key: a key file, not standard input"),
        Case(executable: "cryptech-muxd", arguments: ["--board", "bogus"],
             status: .usage, says: "--board 'bogus'"),
        Case(executable: "cryptech-hil", arguments: [], environment: noBoards,
             status: .usage, says: "no board: give --device or --socket"),
        Case(executable: "cryptech-demo", arguments: ["--ledger-dir", "/nonexistent/demo", "--board", "A=/dev/null", "--board", "B=/dev/null"],
             environment: noBoards, status: .usage, says: "set the boards' user PIN in $CRYPTECH_PIN"),
        Case(executable: "cryptech-emulator", arguments: ["--baud", "0"],
             status: .usage, says: "--baud must be positive"),
        // The daemons' start failures: the cause on standard error.
        Case(executable: "cryptech-muxd", arguments: ["--rpc-device", "/nonexistent/tty", "--rpc-socket", "/nonexistent/dir/muxd.rpc"],
             status: .failed, says: "/nonexistent/dir/muxd.rpc: bind: No such file or directory"),
        Case(executable: "cryptech-muxd", arguments: ["--probe", "/nonexistent/tty"],
             status: .unreachable, says: "no RPC port answered among [\"/nonexistent/tty\"]"),
        Case(executable: "cryptech-muxd", arguments: ["--rpc-device", "/nonexistent/tty", "--metrics-listen", "192.0.2.1:9187"],
             status: .usage, says: "192.0.2.1 is not a loopback address"),
        Case(executable: "cryptech-emulator", arguments: ["--state-dir", "/dev/null/state"],
             status: .failed, says: "cryptech-emulator: cannot start"),
        Case(executable: "cryptech-emulator", arguments: ["--link", "/nonexistent/dir/alpha.tty"],
             status: .failed, says: "cannot link /nonexistent/dir/alpha.tty"),
        Case(executable: "cryptech-bench", arguments: ["no-such-area"],
             status: .usage, says: "unknown area no-such-area"),
    ]

    @Test("Each status means the same in every executable", arguments: cases)
    func status(_ example: Case) async throws {
        let result = try BuiltProduct.run(example.executable, example.arguments, environment: example.environment)
        let output = result.stdout + result.stderr
        #expect(result.status == example.status.rawValue, "\(output)")
        #expect(output.contains(example.says), "\(output)")
    }

    /// The `--help` of every command, as docs/cli.md holds it (CLIReferenceTests keeps that
    /// current): `## \`command\`` then its text.
    static func helps() throws -> [(command: String, help: String)] {
        let reference = try String(contentsOf: CLIReferenceTests.root.appendingPathComponent("docs/cli.md"), encoding: .utf8)
        return reference.components(separatedBy: "\n## `").dropFirst().map { section in
            let command = String(section.prefix { $0 != "`" })
            return (command, section)
        }
    }

    @Test("Every --help lists its exit statuses, each number with the table's one meaning")
    func helpText() async throws {
        let helps = try Self.helps()
        #expect(helps.count > 20)
        for (command, help) in helps {
            let lines = help.components(separatedBy: "\n")
            guard let start = lines.firstIndex(where: { $0.hasPrefix("Exit status (the same numbers for every cryptech executable):") }) else {
                Issue.record("\(command): no exit status in its --help")
                continue
            }
            let rows = lines[(start + 1)...].prefix { $0.hasPrefix("  ") }
            #expect(rows.contains { $0.hasPrefix("  0 ") } && rows.contains { $0.hasPrefix("  64 ") }, "\(command)")
            for row in rows {
                let fields = row.trimmingCharacters(in: .whitespaces)
                let number = fields.prefix { $0.isNumber }
                let status = try #require(Int32(number).flatMap(ExitStatus.init(rawValue:)), "\(command): \(row)")
                #expect(fields.dropFirst(number.count).trimmingCharacters(in: .whitespaces) == status.meaning, "\(command): \(row)")
            }
        }
    }

    @Test("The README holds the whole table")
    func readme() async throws {
        let readme = try String(contentsOf: CLIReferenceTests.root.appendingPathComponent("README.md"), encoding: .utf8)
        for status in ExitStatus.allCases {
            #expect(readme.contains("| \(status.rawValue) | \(status.meaning) |"), "README: no row for \(status.rawValue)")
        }
    }
}
