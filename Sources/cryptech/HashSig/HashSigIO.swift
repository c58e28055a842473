import ArgumentParser
import CryptechExitStatus
import DurableFile
import Foundation
import HashSigHost
import SystemPackage

/// Files and exit codes shared by the `cryptech hashsig` subcommands.
enum HashSigIO {
    /// A failure with the exit status it maps to and one line for stderr.
    struct Failure: Error {
        let status: ExitStatus
        let message: String

        /// A usage error: reported by ArgumentParser like every other (see ``run(_:)``).
        static func usage(_ message: String) -> Failure { Failure(status: .usage, message: message) }
        /// An input that cannot be used: unreadable, empty, too large or malformed.
        static func input(_ message: String) -> Failure { Failure(status: .badInput, message: message) }
        /// The operation itself failed (an invalid signature, an exhausted key, a file not written).
        static func failed(_ message: String) -> Failure { Failure(status: .failed, message: message) }
    }

    /// Runs `body`, turning a ``Failure`` into its line on stderr and its exit status.
    static func run(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let failure as Failure {
            throw report(failure)
        }
    }

    /// ``run(_:)`` for async bodies; board failures are reported like the other hashsig errors.
    static func runAsync(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let failure as Failure {
            throw report(failure)
        } catch let exit as ExitCode {
            throw exit
        } catch let usage as ValidationError {
            throw usage
        } catch {
            printError("\(error)")
            throw ExitCode(.failed)
        }
    }

    /// What ends the command for `failure`: a usage error goes to ArgumentParser, which prints
    /// it with the usage line as it does for every usage error; any other is one line here.
    private static func report(_ failure: Failure) -> any Error {
        guard failure.status != .usage else { return ValidationError(failure.message) }
        printError(failure.message)
        return ExitCode(failure.status)
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data("cryptech hashsig: \(message)\n".utf8))
    }

    /// The most bytes of a message or key file these commands read: they hold the whole of
    /// it in memory (HSS verification hashes the message in one piece).
    static let fileLimit = 1 << 30

    /// The bytes of `path` (a file, a pipe, a FIFO, a device such as `/dev/stdin`), or of
    /// standard input for `-`, to its end, but never more than `limit` bytes (`bound` says
    /// why that many, in the error).
    /// - Throws: ``Failure/input(_:)`` naming the input when it cannot be opened or read (the
    ///   system's reason: no such file, permission denied, is a directory) or holds more than
    ///   `limit` bytes.
    static func read(_ path: String, what: String, limit: Int = fileLimit,
                     bound: String = "the most this command reads") throws -> [UInt8] {
        let name = path == "-" ? "standard input" : path
        let bytes: [UInt8]?
        do throws(DurableFileError) {
            bytes = try DurableFile.read(path == "-" ? "/dev/stdin" : path, limit: limit)
        } catch {
            if case .tooLarge = error.reason {
                throw Failure.input("\(what) \(name) is larger than \(limit) bytes, \(bound)")
            }
            throw Failure.input("cannot read \(what) \(name): \(error.errno.map { "\($0)" } ?? "\(error)")")
        }
        guard let bytes else { throw Failure.input("cannot read \(what) \(name): \(Errno.noSuchFileOrDirectory)") }
        return bytes
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
    /// the caller's input, an existing one (without --force) a usage error; the rest is the
    /// operation failing.
    init(_ error: SoftwareKeyError) {
        switch error {
        case .missing, .malformed: self = .input(error.description)
        case .exists: self = .usage(error.description)
        case .exhausted, .signingFailed, .inUse, .file: self = .failed(error.description)
        }
    }
}
