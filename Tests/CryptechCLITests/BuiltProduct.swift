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

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `name` with `arguments` and waits for it.
    /// - Parameter environment: changes to this process's environment for it; `nil` removes a variable.
    static func run(_ name: String, _ arguments: [String], stdin: Data? = nil, environment: [String: String?] = [:]) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path(name))
        process.arguments = arguments
        var merged = ProcessInfo.processInfo.environment
        for (variable, value) in environment { merged[variable] = value }
        process.environment = merged
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let input = Pipe()
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
        let stderrData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus,
                      stdout: String(decoding: stdoutData, as: UTF8.self),
                      stderr: String(decoding: stderrData, as: UTF8.self))
    }
}
