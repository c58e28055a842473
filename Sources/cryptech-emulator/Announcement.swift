#if canImport(Glibc)
import Glibc
#endif
import ServiceLifecycle

/// Makes the `--link` and `--console-link` symbolic links, then prints the tty paths on
/// standard output, one a line, and returns: what a launcher (``EmulatorProcess``, a test, a
/// script) waits for. A service, so that both happen only once the group traps SIGTERM and
/// SIGINT: a launcher that stops the emulator as soon as it sees them meets a graceful stop,
/// not the default action that leaves the links behind.
struct Announcement: Service {
    struct Link: Sendable {
        var path: String
        var target: String
    }

    /// A link that could not be made.
    struct LinkError: Error, CustomStringConvertible {
        var description: String
    }

    let links: [Link]
    let paths: [String]

    func run() async throws(LinkError) {
        for link in links {
            unlink(link.path)
            guard symlink(link.target, link.path) == 0 else {
                throw LinkError(description: "cannot link \(link.path) -> \(link.target): \(String(cString: strerror(errno)))")
            }
        }
        for path in paths { print(path) }
        fflush(nil)
    }

    /// Removes the links that still point where this emulator made them point (never a file
    /// someone put there since).
    static func removeLinks(_ links: [Link]) {
        for link in links {
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let length = readlink(link.path, &buffer, buffer.count - 1)
            guard length >= 0 else { continue }
            let target = String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if target == link.target { unlink(link.path) }
        }
    }
}
