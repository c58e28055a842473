/// A USB device as libusb enumerates it.
public struct USBDevice: Sendable, Hashable {
    /// The USB vendor ID (`idVendor`).
    public var vendorID: UInt16
    /// The USB product ID (`idProduct`).
    public var productID: UInt16
    /// The bus the device is on, the first part of ``busPath``.
    public var busNumber: UInt8
    /// Port numbers from the root hub down, e.g. [1, 2] for `1-1.2`.
    public var portNumbers: [UInt8]
    /// The serial number string, when the device could be opened to read it.
    public var serialNumber: String?

    /// - Parameters:
    ///   - vendorID: the USB vendor ID.
    ///   - productID: the USB product ID.
    ///   - busNumber: the bus number.
    ///   - portNumbers: the ports from the root hub down.
    ///   - serialNumber: the serial number string, if read.
    public init(vendorID: UInt16, productID: UInt16, busNumber: UInt8, portNumbers: [UInt8], serialNumber: String?) {
        self.vendorID = vendorID
        self.productID = productID
        self.busNumber = busNumber
        self.portNumbers = portNumbers
        self.serialNumber = serialNumber
    }

    /// The kernel's name for the device, `bus-port.port…` (as in /sys/bus/usb/devices), which
    /// is how its ttys are found in sysfs.
    public var busPath: String {
        "\(busNumber)-" + portNumbers.map(String.init).joined(separator: ".")
    }

    /// True for the Alpha's FTDI USB id; another device with the same chip matches too, so the
    /// caller still probes the port.
    public var isAlphaCandidate: Bool {
        vendorID == USBSerialPort.alphaVendorID && productID == USBSerialPort.alphaProductID
    }
}
