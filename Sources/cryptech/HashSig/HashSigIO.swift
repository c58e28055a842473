import ArgumentParser
import Foundation

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
    /// mix, and the new one is on disk when this returns: a temporary file in the same directory,
    /// `fsync`, `rename` over `path`, then `fsync` of the directory (which makes the rename itself
    /// durable).
    ///
    /// Only for regular files: an existing path that is anything else (a device such as
    /// `/dev/null`, a FIFO) is refused, because the rename would replace it. A symbolic link is
    /// followed, and its target replaced.
    /// - Parameter mode: permission bits of a new file (0600 for key files).
    static func writeAtomically(_ bytes: [UInt8], to path: String, mode: mode_t) throws {
        let url = URL(fileURLWithPath: path).resolvingSymlinksInPath()
        let path = url.path
        guard isRegularFileOrAbsent(path) else {
            throw Failure.usage("\(path) is not a regular file")
        }
        let directory = url.deletingLastPathComponent().path
        let temporary = directory + "/.\(url.lastPathComponent).tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw Failure.failed("cannot create \(temporary): \(errnoText())") }
        // This function owns fd until it is closed below; on any failure the temporary is removed.
        var written = 0
        let ok: Bool = bytes.withUnsafeBytes { buffer in
            while written < buffer.count {
                let result = write(fd, buffer.baseAddress! + written, buffer.count - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                written += result
            }
            return fsync(fd) == 0
        }
        let error = errnoText()
        close(fd)
        guard ok else {
            unlink(temporary)
            throw Failure.failed("cannot write \(temporary): \(error)")
        }
        guard rename(temporary, path) == 0 else {
            let error = errnoText()
            unlink(temporary)
            throw Failure.failed("cannot rename \(temporary) to \(path): \(error)")
        }
        let directoryFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directoryFD >= 0 else { throw Failure.failed("cannot open directory \(directory): \(errnoText())") }
        defer { close(directoryFD) }
        guard fsync(directoryFD) == 0 else {
            throw Failure.failed("cannot fsync directory \(directory): \(errnoText())")
        }
    }

    /// Writes `bytes` to `path` atomically; to standard output for `-`; straight into an
    /// existing non-regular file (a pipe, a device).
    static func writeOutput(_ bytes: [UInt8], to path: String) throws {
        if path == "-" {
            FileHandle.standardOutput.write(Data(bytes))
        } else if isRegularFileOrAbsent(URL(fileURLWithPath: path).resolvingSymlinksInPath().path) {
            try writeAtomically(bytes, to: path, mode: 0o644)
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
        var info = stat()
        guard lstat(path, &info) == 0 else { return errno == ENOENT }
        return (info.st_mode & S_IFMT) == S_IFREG
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }

    static func describe(_ error: Error) -> String {
        (error as NSError).localizedDescription
    }
}
