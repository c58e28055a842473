import CryptechTransport

/// How the muxd finds a board's tty each time it (re)opens it.
public enum DeviceLocator: Sendable, Hashable, CustomStringConvertible {
    /// A fixed path (a /dev/ttyUSBn, a udev symlink, an emulator's `--link`).
    case path(String)
    /// The USB serial number of the board's FTDI chip, looked up in sysfs every time, so
    /// a replug under a new tty name is followed.
    case usbSerial(String)

    /// The current tty path, or nil when the board is not there.
    public func resolve(sysfs: SysfsSerialPorts = SysfsSerialPorts()) -> String? {
        switch self {
        case .path(let path): path
        case .usbSerial(let serial): sysfs.port(serialNumber: serial)?.ttyPath
        }
    }

    /// The path, or `usb-serial:SERIAL`, for logs.
    public var description: String {
        switch self {
        case .path(let path): path
        case .usbSerial(let serial): "usb-serial:\(serial)"
        }
    }
}
