import Foundation
import SystemPackage

/// Runs a blocking `body` (a wait in `flock`, a blocking read) on a Dispatch thread and waits
/// for it without holding a thread of the tests' cooperative pool, which has only two threads
/// on a 2-core machine.
public func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
    }
}

/// No process blocked on a lock within the hang guard.
public struct NoBlockedLock: Error, CustomStringConvertible {
    public let path: String
    public var description: String { "no process blocked on the lock of \(path) within a minute" }
}

/// Waits until a process is blocked in `flock` on the file at `path` (`/proc/locks` lists a
/// waiter as "N: -> FLOCK … MAJ:MIN:INODE …"), so a test exercises the wait it means to; a
/// minute is only a hang guard.
/// - Throws: ``NoBlockedLock`` after a minute.
public func waitUntilBlocked(onLockOf path: String) async throws {
    let inode = try Stat(FilePath(path)).inode.rawValue
    let deadline = ContinuousClock.now + .seconds(60)
    while ContinuousClock.now < deadline {
        let locks = try String(contentsOfFile: "/proc/locks", encoding: .utf8)
        if locks.split(separator: "\n").contains(where: { $0.contains("-> FLOCK") && $0.contains(":\(inode) ") }) { return }
        try await Task.sleep(for: .milliseconds(5))
    }
    throw NoBlockedLock(path: path)
}
