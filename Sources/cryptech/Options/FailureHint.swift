#if canImport(Glibc)
import Glibc
#endif
import CryptechTransport
import Foundation
import HalRPC
import HashSigHost

/// What to try next after a common failure: a line under the error, so that an operator who
/// meets it for the first time needs neither the source nor the manual. The errors stay typed;
/// only the CLI, which knows the options, words the advice.
enum FailureHint {
    /// For a board operation on `endpoint` that failed with `error`.
    /// - Parameter direct: how to name a serial device instead of the muxd, in this command's
    ///   options (`--device PATH`, `--board NAME=/dev/ttyUSB0`).
    static func forClient(_ error: HSMClientError, endpoint: HSMEndpoint, direct: String = "--device PATH") -> String? {
        switch error {
        case .transport(let transport):
            return forTransport(transport, endpoint: endpoint, direct: direct)
        case .device(let status) where status == .pinIncorrect:
            return "check the PIN (--pin-env and --pin-file take its first line); the board waits longer after each wrong PIN"
        case .device(let status) where status == .forbidden:
            return "this user may not do that: log in as another (--user)"
        case .timeout(_, _, let sent):
            return sent
                ? "the board may have carried it out; for an operation slower than its deadline, give a longer --timeout"
                : "the request was never sent (the link or the muxd was busy): try again, or with a longer --timeout"
        default:
            return nil
        }
    }

    private static func forTransport(_ error: TransportError, endpoint: HSMEndpoint, direct: String) -> String? {
        switch (endpoint, error.code) {
        case (.muxd, .notFound):
            return muxdDown(error, direct: direct)
        case (.muxd, .io) where error.errno == ECONNREFUSED:
            return muxdDown(error, direct: direct)
        case (.muxd, .permissionDenied):
            return "the muxd's socket is for its group (cryptech in the packaged service): sudo usermod -aG cryptech \"$USER\", then log in again"
        case (.serial, .permissionDenied):
            return "install the udev rule (udev/99-cryptech-alpha.rules gives the board's ttys to group cryptech) "
                + "and join the group: sudo usermod -aG cryptech \"$USER\", then log in again"
        case (.serial, .busy):
            return "another process holds the tty (usually cryptech-muxd): go through it with --socket, or stop it"
        case (.serial, .notFound):
            return "no such device: 'cryptech devices' lists the boards attached and their ttys"
        default:
            return nil
        }
    }

    private static func muxdDown(_ error: TransportError, direct: String) -> String {
        "is cryptech-muxd running? (nothing serves \(error.endpoint)) or use \(direct) to talk to the board directly"
    }

    /// For a ledger failure.
    static func forLedger(_ error: LedgerError) -> String? {
        switch error {
        case .busy(let path, let holder):
            if holder != nil {
                return "the lock frees when its holder ends or its lease runs out (--etcd-lock-ttl); then run the command again"
            }
            let pids = LockHolders.of(path + ".lock")
            guard !pids.isEmpty else { return "the lock on \(path).lock frees when its holder ends; then run the command again" }
            return "\(path).lock is held by " + pids.map { "process \($0)" + (LockHolders.command($0).map { " (\($0))" } ?? "") }
                .joined(separator: ", ") + "; it frees when that ends, then run the command again"
        default:
            return nil
        }
    }
}

/// Who holds a file lock, from the kernel's table (/proc/locks), for the hint on a busy ledger:
/// a file lock does not record its owner anywhere else.
enum LockHolders {
    /// The processes holding an flock or POSIX lock on `path`.
    static func of(_ path: String) -> [Int32] {
        var info = stat()
        guard stat(path, &info) == 0, let table = try? String(contentsOfFile: "/proc/locks", encoding: .utf8) else { return [] }
        // "2: FLOCK  ADVISORY  WRITE 31778 fe:00:16222030 0 EOF": the pid, then major:minor:inode
        // (major and minor in hex).
        // Linux's dev_t: the major number in bits 8-19 and 32-43, the minor in 0-7 and 20-31.
        let dev = UInt64(info.st_dev)
        let major = (dev >> 8) & 0xFFF | (dev >> 32) & ~UInt64(0xFFF)
        let minor = dev & 0xFF | (dev >> 12) & ~UInt64(0xFF)
        let device = String(format: "%02llx:%02llx:%llu", major, minor, UInt64(info.st_ino))
        return table.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count > 5, fields[5] == device, let pid = Int32(fields[4]) else { return nil }
            return pid
        }
    }

    /// The command line of process `pid`, if it can be read.
    static func command(_ pid: Int32) -> String? {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"), !data.isEmpty else { return nil }
        let words = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        return words.joined(separator: " ")
    }
}
