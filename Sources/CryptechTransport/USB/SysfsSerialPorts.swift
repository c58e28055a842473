import Foundation

/// Finds USB serial ports through sysfs: each `/sys/class/tty/<name>/device` link leads to the
/// USB interface directory, whose parent is the USB device with `idVendor`, `idProduct` and
/// `serial` attributes. Reading sysfs needs no permission on the device itself.
public struct SysfsSerialPorts: Sendable {
    /// The sysfs mount point (tests point this at a directory tree of their own).
    public var sysfsRoot: String
    /// Where device nodes live.
    public var deviceDirectory: String

    /// - Parameters:
    ///   - sysfsRoot: where sysfs is mounted; a test's own tree in tests.
    ///   - deviceDirectory: where the device nodes are.
    public init(sysfsRoot: String = "/sys", deviceDirectory: String = "/dev") {
        self.sysfsRoot = sysfsRoot
        self.deviceDirectory = deviceDirectory
    }

    /// Every tty backed by a USB device, sorted by tty path. Empty when there are none or
    /// sysfs is not mounted.
    public func ports() -> [USBSerialPort] {
        let fm = FileManager.default
        let classDirectory = sysfsRoot + "/class/tty"
        guard let names = try? fm.contentsOfDirectory(atPath: classDirectory) else { return [] }
        var found: [USBSerialPort] = []
        for name in names.sorted() {
            let deviceLink = classDirectory + "/" + name + "/device"
            // `device` points at the interface (1-1.2:1.0) or, for usb-serial drivers, at a
            // port node below it (1-1.2:1.0/ttyUSB0); walk up to the first directory whose
            // parent has idVendor.
            guard fm.fileExists(atPath: deviceLink) else { continue }
            let resolved = URL(fileURLWithPath: deviceLink).resolvingSymlinksInPath().path
            var interface = URL(fileURLWithPath: resolved)
            var usbDevice = interface.deletingLastPathComponent()
            var hops = 0
            while !fm.fileExists(atPath: usbDevice.appendingPathComponent("idVendor").path), hops < 3 {
                interface = usbDevice
                usbDevice = usbDevice.deletingLastPathComponent()
                hops += 1
            }
            let attribute = { (file: String) -> String? in
                guard let text = try? String(contentsOf: usbDevice.appendingPathComponent(file), encoding: .utf8) else { return nil }
                let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
                return trimmed.isEmpty ? nil : trimmed
            }
            guard let vendor = attribute("idVendor").flatMap({ UInt16($0, radix: 16) }),
                  let product = attribute("idProduct").flatMap({ UInt16($0, radix: 16) })
            else { continue }
            let interfaceNumber = (try? String(contentsOf: interface.appendingPathComponent("bInterfaceNumber"), encoding: .utf8))
                .flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines), radix: 16) } ?? 0
            found.append(USBSerialPort(
                ttyPath: deviceDirectory + "/" + name, vendorID: vendor, productID: product,
                serialNumber: attribute("serial"), busPath: usbDevice.lastPathComponent,
                interfaceNumber: interfaceNumber, manufacturer: attribute("manufacturer"),
                product: attribute("product")))
        }
        return found
    }

    /// The ports that carry the Alpha's USB id.
    public func alphaPorts() -> [USBSerialPort] { ports().filter(\.isAlphaCandidate) }

    /// The tty of the USB device with `serialNumber` (and, for multi-interface chips, the
    /// given interface), so a board is found again after replug under a new tty name.
    public func port(serialNumber: String, interface: Int? = nil) -> USBSerialPort? {
        ports().first { $0.serialNumber == serialNumber && (interface == nil || $0.interfaceNumber == interface) }
    }
}
