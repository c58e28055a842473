#if canImport(Glibc)
import Glibc
#endif
import AlphaEmulator
import Foundation
import HalRPC
import Testing

/// Initial PINs come from a file or an environment variable, never from the command line
/// (issue 13, item 6): `--init-pin-file`, `--init-pin-env`, ``InitialPINs``.
@Suite("Initial PINs")
struct InitialPINTests {
    static let secret = "pin-nobody-may-see"

    @Test("the lines: user=, so=, wheel=; comments and empty lines skipped; the PIN is the rest of the line, \\r included")
    func parsing() throws {
        let text = Array("# for tests\n\nuser=\(Self.secret)\nso=so-pin=with=equals\r\nWHEEL=wheel pin \n".utf8)
        let pins = try InitialPINs.parse(text, source: "test")
        #expect(pins.map(\.user) == [.normal, .securityOfficer, .wheel])
        #expect(pins.map(\.pin) == [PIN(Self.secret), PIN("so-pin=with=equals\r"), PIN("wheel pin ")])
        #expect(try InitialPINs.parse(try InitialPINs.text(pins), source: "again").map(\.pin) == pins.map(\.pin))
        #expect(try InitialPINs.parse([], source: "empty").isEmpty)
    }

    @Test("malformed lines are refused, and no message quotes a PIN")
    func malformed() {
        for text in ["\(Self.secret)", "root=\(Self.secret)", "user=abc", "user=\(Self.secret)\nuser=\(Self.secret)x"] {
            #expect {
                _ = try InitialPINs.parse(Array(text.utf8), source: "test")
            } throws: { error in
                "\(error)".hasPrefix("test: line ") && !"\(error)".contains(Self.secret)
            }
        }
        #expect(throws: EmulatorOptionError.self) { _ = try InitialPINs.text([(.normal, PIN("two\nlines"))]) }
        #expect(throws: EmulatorOptionError.self) { _ = try InitialPINs.text([(.none, PIN(Self.secret))]) }
    }

    @Test("--init-pin-file: a file only its owner may access sets the PINs; one its group or others may read is refused")
    func file() async throws {
        let directory = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/pins"
        try InitialPINs.write([(.normal, PIN(Self.secret))], toFile: path)
        var status = stat()
        #expect(stat(path, &status) == 0 && status.st_mode & 0o777 == 0o600)
        #expect(throws: EmulatorOptionError.self, "an existing file is not overwritten") {
            try InitialPINs.write([(.normal, PIN(Self.secret))], toFile: path)
        }

        let alpha = try EmulatorProcess.launch(arguments: ["--init-pin-file", path, "--wrong-pin-delay", "0"])
        defer { alpha.terminate() }
        let client = alpha.makeClient()
        try await client.login(user: .normal, pin: PIN(Self.secret))
        await client.close()
        // Nothing of the PIN on the emulator's command line.
        let commandLine = try String(contentsOfFile: "/proc/\(alpha.pid)/cmdline", encoding: .utf8)
        #expect(commandLine.contains("--init-pin-file") && !commandLine.contains(Self.secret))

        chmod(path, 0o640)
        let log = directory + "/refused.log"
        #expect(throws: EmulatorProcess.LaunchError.self) {
            _ = try EmulatorProcess.launch(arguments: ["--init-pin-file", path], standardError: log, timeout: .seconds(10))
        }
        let message = try String(contentsOfFile: log, encoding: .utf8)
        #expect(message.contains("chmod 600") && !message.contains(Self.secret))
    }

    @Test("--init-pin-env: the PINs in the emulator's environment alone, not on its command line")
    func environment() async throws {
        let alpha = try EmulatorProcess.launch(arguments: ["--wrong-pin-delay", "0"], initialPINs: [(.wheel, PIN(Self.secret))])
        defer { alpha.terminate() }
        let commandLine = try String(contentsOfFile: "/proc/\(alpha.pid)/cmdline", encoding: .utf8)
        #expect(commandLine.contains("--init-pin-env") && !commandLine.contains(Self.secret))
        #expect(getenv(InitialPINs.environmentVariable) == nil, "the launcher's own environment is unchanged")
        let client = alpha.makeClient()
        try await client.login(user: .wheel, pin: PIN(Self.secret))
        #expect(await status { try await client.login(user: .normal, pin: PIN(Self.secret)) } == .pinIncorrect)
        await client.close()
    }

    @Test("refused at start: --init-pin (gone), an unset variable, both sources at once")
    func refused() throws {
        for arguments in [
            ["--init-pin", "user=\(Self.secret)"],
            ["--init-pin-env", "CRYPTECH_TEST_VARIABLE_NOBODY_SETS"],
            ["--init-pin-env", "HOME", "--init-pin-file", "/dev/null"],
        ] {
            #expect(throws: EmulatorProcess.LaunchError.self, "\(arguments)") {
                _ = try EmulatorProcess.launch(arguments: arguments, timeout: .seconds(10))
            }
        }
    }
}
