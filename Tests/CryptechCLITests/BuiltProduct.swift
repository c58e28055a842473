import TestProcesses
import CryptechExitStatus
import Foundation

/// The executables' exit-status table, by its plain name: Swift Testing has an `ExitStatus` of
/// its own (for exit tests), which this one shadows in the tests.
typealias ExitStatus = CryptechExitStatus.ExitStatus

/// Runs the executables this package builds, as a person would.
enum BuiltProduct {
    /// The path of executable `name` from the same build as the running tests.
    static func path(_ name: String) -> String {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = testBinary.deletingLastPathComponent()
        // The test runner may sit inside an .xctest bundle directory.
        if directory.pathExtension == "xctest" { directory = directory.deletingLastPathComponent() }
        return directory.appendingPathComponent(name).path
    }

    typealias Output = ChildProcess.Output

    /// Runs `name` with `arguments` and waits for it (``ChildProcess/run(_:_:stdin:environment:mergingStandardError:started:)``).
    /// - Parameter environment: changes to this process's environment for it; `nil` removes a variable.
    static func run(_ name: String, _ arguments: [String], stdin: Data? = nil, environment: [String: String?] = [:]) throws -> Output {
        try ChildProcess.run(path(name), arguments, stdin: stdin, environment: environment)
    }
}
