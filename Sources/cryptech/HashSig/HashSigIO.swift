import ArgumentParser
import DurableFile
import Foundation
import HashSigHost
import SystemPackage

/// Files and exit codes shared by the `cryptech hashsig` subcommands.
enum HashSigIO {
    /// A failure with the exit status it maps to and one line for stderr.
    struct Failure: Error {
        let status: Int32
        let message: String

        /// Status 2: bad usage or input that cannot be parsed.
        static func usage(_ message: String) -> Failure { Failure(status: 2, message: message) }
        /// Status 1: the operation itself failed (an invalid signature, an exhausted key).
        static func failed(_ message: String) -> Failure { Failure(status: 1, message: message) }
    }

    /// Runs `body`, turning a ``Failure`` into its line on stderr and its exit status.
    static func run(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let failure as Failure {
            printError(failure.message)
            throw ExitCode(failure.status)
        }
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data("cryptech hashsig: \(message)\n".utf8))
    }

    /// The bytes of `path`, or of standard input for `-`.
    static func read(_ path: String, what: String) throws -> [UInt8] {
        if path == "-" {
            return Array(FileHandle.standardInput.readDataToEndOfFile())
        }
        do {
            return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw Failure.usage("cannot read \(what) \(path): \(describe(error))")
        }
    }

    /// Writes `bytes` to `path` so that a crash leaves either the old file or the new one, never a
    /// mix, and the new one is on disk when this returns (``DurableFile/replace(_:with:mode:)``).
    ///
    /// Only for regular files: an existing path that is anything else (a device such as
    /// `/dev/null`, a FIFO) is refused, because the rename would replace it. A symbolic link is
    /// followed, and its target replaced.
    /// - Parameter mode: permission bits of a new file.
    static func writeAtomically(_ bytes: [UInt8], to path: String, mode: FilePermissions) throws {
        let target = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        do {
            try DurableFile.replace(target, with: bytes, mode: mode)
        } catch {
            if error.reason == .notRegularFile { throw Failure.usage("\(target) is not a regular file") }
            throw Failure.failed("cannot write \(target): \(error)")
        }
    }

    /// Writes `bytes` to `path` atomically; to standard output for `-`; straight into an
    /// existing non-regular file (a pipe, a device).
    static func writeOutput(_ bytes: [UInt8], to path: String) throws {
        if path == "-" {
            FileHandle.standardOutput.write(Data(bytes))
        } else if isRegularFileOrAbsent(URL(fileURLWithPath: path).resolvingSymlinksInPath().path) {
            try writeAtomically(bytes, to: path, mode: FilePermissions(rawValue: 0o644))
        } else {
            guard let handle = FileHandle(forWritingAtPath: path) else {
                throw Failure.failed("cannot open \(path) for writing: \(errnoText())")
            }
            defer { try? handle.close() }
            do {
                try handle.write(contentsOf: Data(bytes))
            } catch {
                throw Failure.failed("cannot write \(path): \(describe(error))")
            }
        }
    }

    /// Whether `path` is a regular file or does not exist.
    static func isRegularFileOrAbsent(_ path: String) -> Bool {
        (try? DurableFile.isRegularFileOrAbsent(path)) ?? false
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }

    static func describe(_ error: Error) -> String {
        (error as NSError).localizedDescription
    }
}

extension HashSigIO.Failure {
    /// A software key file that could not be used: a malformed, missing or existing file is
    /// the caller's input (2); the rest is the operation failing (1).
    init(_ error: SoftwareKeyError) {
        switch error {
        case .missing, .malformed, .exists: self = .usage(error.description)
        case .exhausted, .signingFailed, .inUse, .file: self = .failed(error.description)
        }
    }
}
