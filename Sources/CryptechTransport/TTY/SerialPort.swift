#if canImport(Glibc)
import Glibc
#endif
import CSerialSupport
import Synchronization

/// An open serial port (a USB UART such as the Alpha's FTDI port, or a pty slave), set to raw
/// 8N1 for the event loop. Closing it restores the settings it found.
///
/// Ownership: the port owns `descriptor` from a successful `open` until `close()`; on a
/// failed `open` every descriptor it created is closed before the error is thrown.
public final class SerialPort: Sendable {
    /// The device node that was opened.
    public let path: String
    /// The settings applied (and read back) at open.
    public let settings: SerialSettings
    /// The open descriptor (non-blocking, close-on-exec). Valid until `close()`.
    public let descriptor: Int32
    private let original: termios
    private let isOpen = Mutex(true)

    /// Opens and configures `path`.
    /// - Throws: ``TransportError`` naming the device: `notFound`, `permissionDenied`, `busy`
    ///   (another process holds it), `unsupported` (not a tty, or a setting did not stick).
    public init(path: String, settings: SerialSettings = .alpha) throws(TransportError) {
        self.path = path
        self.settings = settings
        let fd = Glibc.open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw .system("open", errno: errno, endpoint: path) }
        do {
            guard isatty(fd) == 1 else {
                throw TransportError(.unsupported, endpoint: path, "not a terminal device")
            }
            if settings.exclusive {
                // flock stops every other opener, root included; TIOCEXCL also stops tools that
                // do not flock. Release-on-close is automatic for both.
                guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
                    throw TransportError.system("flock", errno: errno, endpoint: path)
                }
                _ = ioctl(fd, UInt(TIOCEXCL))
            }
            var saved = termios()
            guard tcgetattr(fd, &saved) == 0 else { throw TransportError.system("tcgetattr", errno: errno, endpoint: path) }
            try Self.configure(fd, path: path, settings: settings, from: saved)
            original = saved
        } catch let error as TransportError {
            Glibc.close(fd)
            throw error
        } catch {
            preconditionFailure("unexpected error \(error)")
        }
        descriptor = fd
    }

    /// Restores the original settings, drops the exclusive lock and closes the descriptor.
    /// Safe to call more than once.
    public func close() {
        let wasOpen = isOpen.withLock { open in
            defer { open = false }
            return open
        }
        guard wasOpen else { return }
        var saved = original
        _ = tcsetattr(descriptor, TCSANOW, &saved)
        if settings.exclusive { _ = ioctl(descriptor, UInt(TIOCNXCL)) }
        Glibc.close(descriptor)
    }

    deinit { close() }

    private static func configure(_ fd: Int32, path: String, settings: SerialSettings, from saved: termios) throws(TransportError) {
        var t = saved
        cfmakeraw(&t)
        t.c_cflag &= ~(tcflag_t(CSIZE | PARENB | CSTOPB) | tcflag_t(CRTSCTS))
        t.c_cflag |= tcflag_t(CS8 | CLOCAL | CREAD)
        if settings.flowControl == .rtsCts { t.c_cflag |= tcflag_t(CRTSCTS) }
        t.c_iflag &= ~tcflag_t(IXON | IXOFF | IXANY)
        // VMIN=1/VTIME=0: a read returns as soon as one byte is there; with O_NONBLOCK the
        // event loop never blocks in read anyway.
        withUnsafeMutableBytes(of: &t.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        let standard = standardSpeed(settings.speed)
        if let code = standard {
            cfsetispeed(&t, code)
            cfsetospeed(&t, code)
        }
        guard tcsetattr(fd, TCSANOW, &t) == 0 else { throw .system("tcsetattr", errno: errno, endpoint: path) }
        if standard == nil {
            guard settings.speed > 0, settings.speed <= Int(UInt32.max) else {
                throw TransportError(.invalidArgument, endpoint: path, "invalid speed \(settings.speed)")
            }
            guard cryptech_tty_set_speed(fd, UInt32(settings.speed)) == 0 else {
                throw .system("set speed \(settings.speed)", errno: errno, endpoint: path)
            }
        }
        if settings.lowLatency { _ = cryptech_tty_set_low_latency(fd) }
        // Read the settings back: a driver may silently ignore what it cannot do.
        var check = termios()
        guard tcgetattr(fd, &check) == 0 else { throw .system("tcgetattr", errno: errno, endpoint: path) }
        let mask = tcflag_t(CSIZE | PARENB | CSTOPB | CLOCAL | CREAD) | tcflag_t(CRTSCTS)
        guard check.c_cflag & mask == t.c_cflag & mask, check.c_lflag == t.c_lflag, check.c_iflag == t.c_iflag else {
            throw TransportError(.unsupported, endpoint: path, "the device did not accept raw 8N1 settings")
        }
        var actual: UInt32 = 0
        if cryptech_tty_get_speed(fd, &actual) == 0, actual != UInt32(settings.speed) {
            throw TransportError(.unsupported, endpoint: path, "speed \(settings.speed) not accepted (device reports \(actual))")
        }
        tcflush(fd, TCIOFLUSH)
    }

    /// The termios constant for a standard rate, or nil.
    static func standardSpeed(_ speed: Int) -> speed_t? {
        let table: [Int: Int32] = [
            1200: B1200, 2400: B2400, 4800: B4800, 9600: B9600, 19200: B19200, 38400: B38400,
            57600: B57600, 115_200: B115200, 230_400: B230400, 460_800: B460800, 500_000: B500000,
            576_000: B576000, 921_600: B921600, 1_000_000: B1000000, 1_152_000: B1152000,
            1_500_000: B1500000, 2_000_000: B2000000, 3_000_000: B3000000, 4_000_000: B4000000,
        ]
        return table[speed].map { speed_t($0) }
    }
}
