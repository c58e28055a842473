#if canImport(Glibc)
import Glibc
#endif
import CSerialSupport
import Synchronization

/// A pseudo-terminal pair: the master side for whoever plays the board (the software Alpha,
/// a test), the slave path for whoever plays the host (it opens it like a serial port).
///
/// The pair starts in raw mode, so bytes pass unchanged in both directions. Ownership: the
/// pair owns `master` (and `keeper`) until `close()`.
public final class PseudoTerminal: Sendable {
    /// The master descriptor (close-on-exec, non-blocking).
    public let master: Int32
    /// The slave device path, e.g. `/dev/pts/7`.
    public let slavePath: String
    /// A slave descriptor held open by the pair itself: without it the master reads EIO
    /// whenever no host has the slave open, and a host reopening the tty would find the
    /// board side gone.
    private let keeper: Int32
    private let isOpen = Mutex(true)

    /// Allocates a pair.
    /// - Throws: ``TransportError`` when the system has no pseudo-terminals to give.
    public init() throws(TransportError) {
        var name = [CChar](repeating: 0, count: 128)
        let fd = cryptech_pty_open(&name, name.count)
        guard fd >= 0 else { throw .system("posix_openpt", errno: errno, endpoint: "/dev/ptmx") }
        let path = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let keep = Glibc.open(path, O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard keep >= 0 else {
            let e = errno
            Glibc.close(fd)
            throw .system("open", errno: e, endpoint: path)
        }
        var t = termios()
        tcgetattr(keep, &t)
        cfmakeraw(&t)
        tcsetattr(keep, TCSANOW, &t)
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        master = fd
        slavePath = path
        keeper = keep
    }

    /// Closes both descriptors; a host with the slave open then reads end of file / EIO.
    public func close() {
        let wasOpen = isOpen.withLock { open in
            defer { open = false }
            return open
        }
        guard wasOpen else { return }
        Glibc.close(keeper)
        Glibc.close(master)
    }

    deinit { close() }
}

extension PseudoTerminal {
    /// A SLIP ``FrameLink`` on the master side (the board's end), over a duplicate of
    /// `master`; the pair stays open when the link closes.
    public func masterLink(maximumFrameLength: Int = SLIP.maximumPayload) async throws -> ChannelFrameLink {
        let copy = duplicateCloseOnExec(master)
        guard copy >= 0 else { throw TransportError.system("fcntl(F_DUPFD_CLOEXEC)", errno: errno, endpoint: slavePath) }
        return try await ChannelFrameLink.pipe(
            descriptor: copy, endpoint: "\(slavePath) (master)", maximumFrameLength: maximumFrameLength)
    }
}
