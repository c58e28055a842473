import ArgumentParser
import CryptechExitStatus
import Foundation
import HalRPC

/// `cryptech-hil`: the hardware-in-the-loop suite. One suite, two targets: real boards
/// (`--device`/`--socket`, or `$CRYPTECH_HIL_DEVICE`/`$CRYPTECH_HIL_SOCKET`) or software Alphas
/// that `tools/hil` starts behind a muxd.
@main
struct HILCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cryptech-hil",
        abstract: "Run the hardware-in-the-loop suite against real boards or software Alphas.",
        discussion: """
            Boards come from --device and --socket, else from $CRYPTECH_HIL_DEVICE and \
            $CRYPTECH_HIL_SOCKET (comma-separated lists). The first board runs every test; the \
            second, when given, receives a share of a hashsig key. On real boards the suite says \
            how many keys it generates and how many one-time (hashsig) keys it consumes, and \
            goes ahead only with --yes; every key it makes is deleted when its test ends. \
            Success means every test passed (or was skipped); no board given, no --yes on real \
            boards, or no PIN is a usage error; a board that is not there is "no board".
            """ + "\n\n" + ExitStatus.help(.success, .failed, .unreachable, .usage))

    @Option(name: .customLong("device"), help: ArgumentHelp("A board on this serial port (repeatable).", valueName: "path"))
    var devices: [String] = []

    @Option(name: .customLong("socket"), help: ArgumentHelp("A board behind a muxd, at this socket (repeatable).", valueName: "path"))
    var sockets: [String] = []

    @Option(help: ArgumentHelp("Write a JUnit XML report here.", valueName: "file"))
    var junit: String?

    @Option(help: ArgumentHelp("Read the boards' user PIN from this environment variable.", valueName: "name"))
    var pinEnv = "CRYPTECH_PIN"

    @Option(help: ArgumentHelp("Run only the tests whose name contains this text.", valueName: "text"))
    var filter: String?

    @Flag(help: "Go ahead on real boards: generate keys there and consume one-time keys of them.")
    var yes = false

    @Flag(help: "The boards are software Alphas (started by tools/hil): no confirmation needed.")
    var software = false

    @Flag(help: "List the tests and what each consumes, and exit.")
    var list = false

    @Flag(help: ArgumentHelp(
        "The links lose or damage replies (tools/hil --fault): an operation whose reply was lost or damaged, or whose digest is one bit away from the host's, is started over (up to \(LossyLinks.operationAttempts) times), and a failing test gets \(LossyLinks.testAttempts) attempts, each from fresh logins; every repetition is reported."))
    var lossyLinks = false

    func run() async throws {
        let tests = HILSuite.all.filter { test in filter.map { test.name.contains($0) || test.group.contains($0) } ?? true }
        if list {
            for test in tests {
                print("\(test.group).\(test.name): \(test.keysGenerated) keys generated, \(test.oneTimeKeys) one-time keys"
                      + (test.boardsNeeded > 1 ? ", needs \(test.boardsNeeded) boards" : ""))
            }
            return
        }
        let boards = try targetBoards()
        let kind: HILTarget.Kind = software ? .software : .hardware
        let oneTimeKeys = tests.filter { $0.boardsNeeded <= boards.count }.reduce(0) { $0 + $1.oneTimeKeys } * (lossyLinks ? LossyLinks.testAttempts : 1)
        let keys = tests.filter { $0.boardsNeeded <= boards.count }.reduce(0) { $0 + $1.keysGenerated } * (lossyLinks ? LossyLinks.testAttempts : 1)
        note("target: \(kind), " + boards.map { "\($0.name)=\($0.endpoint)" }.joined(separator: ", "))
        note("this run generates up to \(keys) keys on the boards (each deleted when its test ends) and consumes up to "
             + "\(oneTimeKeys) one-time keys, all of hashsig keys it generates itself")
        if kind == .hardware && !yes {
            throw ValidationError("nothing done yet: run again with --yes to go ahead")
        }
        guard let text = ProcessInfo.processInfo.environment[pinEnv], !text.isEmpty else {
            throw ValidationError("set the boards' user PIN in $\(pinEnv) (or name another variable with --pin-env)")
        }
        let target = HILTarget(kind: kind, boards: boards, pin: PIN(text), lossyLinks: lossyLinks)
        let results = await HILRunner(target: target, tests: tests).run()
        if let junit {
            do {
                try JUnitReport(target: target, results: results, oneTimeKeys: oneTimeKeys).write(to: junit)
                note("JUnit report: \(junit)")
            } catch {
                note("cannot write the JUnit report \(junit): \(error)")
                throw ExitCode(.failed)
            }
        }
        let failed = results.filter(\.isFailure).count
        let skipped = results.filter(\.isSkipped).count
        if skipped > 0 { print("\(skipped) skipped") }
        print("\(results.count - failed - skipped) passed, \(failed) failed")
        if failed > 0 { throw ExitCode(.failed) }
    }

    /// The boards from the options or the environment, each checked to exist (none given is a
    /// usage error, a missing one "no board"; both reported before anything runs).
    private func targetBoards() throws -> [HILBoard] {
        let environment = ProcessInfo.processInfo.environment
        func split(_ value: String?) -> [String] {
            (value ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        var devices = self.devices
        var sockets = self.sockets
        if devices.isEmpty && sockets.isEmpty {
            devices = split(environment["CRYPTECH_HIL_DEVICE"])
            sockets = split(environment["CRYPTECH_HIL_SOCKET"])
        }
        let endpoints = devices.map { HSMEndpoint.serial(devicePath: $0, speed: HSMEndpoint.defaultSpeed) }
            + sockets.map { HSMEndpoint.muxd(socketPath: $0) }
        guard !endpoints.isEmpty else {
            throw ValidationError("no board: give --device or --socket, or set CRYPTECH_HIL_DEVICE or CRYPTECH_HIL_SOCKET (tools/hil starts software Alphas)")
        }
        var boards: [HILBoard] = []
        for (index, endpoint) in endpoints.enumerated() {
            if let problem = HILTarget.problem(with: endpoint) {
                note(problem)
                throw ExitCode(.unreachable)
            }
            boards.append(HILBoard(name: String(UnicodeScalar(UInt8(ascii: "A") + UInt8(index % 26))), endpoint: endpoint))
        }
        return boards
    }
}

/// One line on standard error, prefixed with the program's name.
func note(_ line: String) {
    FileHandle.standardError.write(Data("cryptech-hil: \(line)\n".utf8))
}
