import SystemPackage

/// Why a durable-file operation failed. Always names the file and the step, so an operator
/// reading "ledger.jsonl: fsync failed: No space left on device" knows what to fix.
public struct DurableFileError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong at the step, apart from which file and which step.
    public enum Reason: Hashable, Sendable {
        /// A system call failed.
        case system(Errno)
        /// A bounded read found more than `limit` bytes.
        case tooLarge(limit: Int)
        /// An atomic replace was asked to rename over something that is not a regular file (a
        /// device such as `/dev/null`, a FIFO, a directory), which the rename would destroy.
        case notRegularFile
        /// Another process held the lock for all of `waited`.
        case busy(waited: Duration)
        /// A file of secrets that its group or others may access (`mode`, the permission bits).
        case notPrivate(mode: UInt16)
    }

    /// The file (or directory) the step was made on.
    public var path: String
    /// The step: "open", "write", "fsync", "rename", "flock", ...
    public var operation: String
    /// What went wrong; ``errno`` extracts a system call's error.
    public var reason: Reason

    /// - Parameters:
    ///   - path: the file or directory the step was made on.
    ///   - operation: the step, as a system call or action name ("fsync", "rename").
    ///   - reason: what went wrong.
    public init(path: String, operation: String, reason: Reason) {
        self.path = path
        self.operation = operation
        self.reason = reason
    }

    /// The error of the system call that just failed on `path`.
    static func system(_ operation: String, _ path: String, _ errno: Errno = .current) -> DurableFileError {
        DurableFileError(path: path, operation: operation, reason: .system(errno))
    }

    /// The failing call's `errno`, when it was a system call.
    public var errno: Errno? {
        if case .system(let errno) = reason { return errno }
        return nil
    }

    /// `path: what`, the one line an operator reads (see ``what``).
    public var description: String { "\(path): \(what)" }

    /// What went wrong, without the path (for a message that names the file already).
    public var what: String {
        switch reason {
        case .system(let errno): "\(operation) failed: \(errno.description)"
        case .tooLarge(let limit): "larger than the \(limit)-byte limit for reading it"
        case .notRegularFile: "not a regular file; it would be replaced by the \(operation)"
        case .busy(let waited): "in use by another process (lock held for \(waited))"
        case .notPrivate(let mode): "its group or others may access it (mode \(String(mode, radix: 8))): chmod 600 it"
        }
    }
}
