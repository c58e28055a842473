import Synchronization

/// The durable-write steps made while a trace is installed, in order: "create x", "write x",
/// "fsync x", "rename-to-x .x.tmp", "fsync-dir d", "unlink x", "mkdir d".
///
/// SIGKILL tests keep the page cache, so they cannot see a missing or misplaced `fsync`; these
/// traces can. Temporary files appear under their stable prefix (`.x.tmp`), without the unique
/// suffix. Install one with `DurableFile.$trace.withValue(trace) { ... }`.
public final class DurableTrace: Sendable {
    private let recorded = Mutex<[String]>([])

    /// An empty trace; it records only inside `DurableFile.$trace.withValue(_:)`.
    public init() {}

    /// The steps recorded so far, oldest first.
    public var operations: [String] { recorded.withLock { $0 } }

    /// Notes a step that is not a file operation ("signature handed out"), so a test can check
    /// what was durable before it.
    public func record(_ operation: String) {
        recorded.withLock { $0.append(operation) }
    }
}
