import CryptechHex

/// A USB serial port as the kernel shows it: the tty it appears as and the USB device behind it.
/// A board is known by its USB serial number and bus path, never by the tty name alone, which
/// changes on replug.
public struct USBSerialPort: Sendable, Hashable, CustomStringConvertible {
    /// The device node, e.g. `/dev/ttyUSB0`.
    public var ttyPath: String
    /// The USB vendor ID of the device behind the tty.
    public var vendorID: UInt16
    /// The USB product ID of the device behind the tty.
    public var productID: UInt16
    /// The USB serial number string (`iSerial`), when the device has one.
    public var serialNumber: String?
    /// The sysfs name of the USB device: bus and port chain, e.g. `1-1.2`.
    public var busPath: String
    /// The USB interface the tty belongs to (multi-port chips have several).
    public var interfaceNumber: Int
    /// The device's manufacturer string, when sysfs has one; for listings only.
    public var manufacturer: String?
    /// The device's product string, when sysfs has one; for listings only.
    public var product: String?

    /// - Parameters:
    ///   - ttyPath: the device node.
    ///   - vendorID: the USB vendor ID.
    ///   - productID: the USB product ID.
    ///   - serialNumber: the USB serial number, if any.
    ///   - busPath: the USB device's sysfs name.
    ///   - interfaceNumber: the interface the tty belongs to.
    ///   - manufacturer: the manufacturer string, if any.
    ///   - product: the product string, if any.
    public init(
        ttyPath: String, vendorID: UInt16, productID: UInt16, serialNumber: String?, busPath: String,
        interfaceNumber: Int, manufacturer: String? = nil, product: String? = nil
    ) {
        self.ttyPath = ttyPath
        self.vendorID = vendorID
        self.productID = productID
        self.serialNumber = serialNumber
        self.busPath = busPath
        self.interfaceNumber = interfaceNumber
        self.manufacturer = manufacturer
        self.product = product
    }

    /// The Alpha's USB UARTs are FTDI FT232H chips: `VID:PID=0403:6014` (docs/wire-protocol.md §11.4).
    public static let alphaVendorID: UInt16 = 0x0403
    /// The FT232H's product ID; see ``alphaVendorID``.
    public static let alphaProductID: UInt16 = 0x6014

    /// True for the USB id the Alpha's serial ports use.
    public var isAlphaCandidate: Bool { vendorID == Self.alphaVendorID && productID == Self.alphaProductID }

    /// One line for `cryptech` device listings: tty, `VID:PID`, serial number and USB location.
    public var description: String {
        let id = Hex.digits(vendorID, width: 4) + ":" + Hex.digits(productID, width: 4)
        return "\(ttyPath) \(id) serial=\(serialNumber ?? "-") usb=\(busPath):\(interfaceNumber)"
    }
}
