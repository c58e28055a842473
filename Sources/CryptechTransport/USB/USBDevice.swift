/// A USB device as libusb enumerates it.
public struct USBDevice: Sendable, Hashable {
    public var vendorID: UInt16
    public var productID: UInt16
    public var busNumber: UInt8
    /// Port numbers from the root hub down, e.g. [1, 2] for `1-1.2`.
    public var portNumbers: [UInt8]
    /// The serial number string, when the device could be opened to read it.
    public var serialNumber: String?

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

    public var isAlphaCandidate: Bool {
        vendorID == USBSerialPort.alphaVendorID && productID == USBSerialPort.alphaProductID
    }
}
