import CryptechExitStatus
import Foundation
import Synchronization

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
        try run(executable: path(name), arguments, stdin: stdin, environment: environment)
    }

    /// Runs the program at `executable` and waits for it. Standard output and standard error
    /// are read at once, and standard input written beside them: a child that fills one pipe
    /// (64 KiB) while this process waited on another would block forever.
    static func run(executable: String, _ arguments: [String], stdin: Data? = nil, environment: [String: String?] = [:]) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var merged = ProcessInfo.processInfo.environment
        for (variable, value) in environment { merged[variable] = value }
        process.environment = merged
        let out = Pipe()
        let err = Pipe()
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        let group = DispatchGroup()
        let stderrData = Collected()
        DispatchQueue.global().async(group: group) { stderrData.set(err.fileHandleForReading.readDataToEndOfFile()) }
        DispatchQueue.global().async(group: group) {
            if let stdin { try? input.fileHandleForWriting.write(contentsOf: stdin) }
            try? input.fileHandleForWriting.close()
        }
        let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Output(status: process.terminationStatus,
                      stdout: String(decoding: stdoutData, as: UTF8.self),
                      stderr: String(decoding: stderrData.value, as: UTF8.self))
    }

    /// What another thread read.
    private final class Collected: Sendable {
        private let data = Mutex(Data())
        func set(_ value: Data) { data.withLock { $0 = value } }
        var value: Data { data.withLock { $0 } }
    }
}
