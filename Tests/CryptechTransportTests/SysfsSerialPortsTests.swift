import CryptechTransport
import Foundation
import Testing

/// Builds a directory tree shaped like Linux sysfs for two FTDI ports and one other device.
private func makeSysfs() throws -> String {
    let fm = FileManager.default
    let root = fm.temporaryDirectory.appendingPathComponent("sysfs-\(UUID().uuidString)").path
    func write(_ path: String, _ text: String) throws {
        let url = URL(fileURLWithPath: root + path)
        try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try (text + "\n").write(to: url, atomically: true, encoding: .utf8)
    }
    func link(_ path: String, to target: String) throws {
        let url = URL(fileURLWithPath: root + path)
        try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try fm.createSymbolicLink(atPath: url.path, withDestinationPath: target)
    }
    let hub = "/devices/pci0000:00/0000:00:14.0/usb1/1-1"
    for (port, serial, tty) in [("1-1.2", "FTRPC001", "ttyUSB0"), ("1-1.3", "FTCTY001", "ttyUSB1")] {
        try write("\(hub)/\(port)/idVendor", "0403")
        try write("\(hub)/\(port)/idProduct", "6014")
        try write("\(hub)/\(port)/serial", serial)
        try write("\(hub)/\(port)/product", "Cryptech Alpha")
        try write("\(hub)/\(port)/\(port):1.0/bInterfaceNumber", "00")
        try fm.createDirectory(atPath: root + "\(hub)/\(port)/\(port):1.0/\(tty)", withIntermediateDirectories: true)
        try link("/class/tty/\(tty)/device", to: root + "\(hub)/\(port)/\(port):1.0/\(tty)")
    }
    try write("\(hub)/1-1.4/idVendor", "1a86")
    try write("\(hub)/1-1.4/idProduct", "7523")
    try write("\(hub)/1-1.4/1-1.4:1.0/bInterfaceNumber", "00")
    try link("/class/tty/ttyUSB2/device", to: root + "\(hub)/1-1.4/1-1.4:1.0")
    try fm.createDirectory(atPath: root + "/class/tty/tty0", withIntermediateDirectories: true)
    return root
}

@Suite struct SysfsSerialPortsTests {
    @Test func findsUSBPortsWithTheirDevices() throws {
        let root = try makeSysfs()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let ports = SysfsSerialPorts(sysfsRoot: root).ports()
        try #require(ports.map(\.ttyPath) == ["/dev/ttyUSB0", "/dev/ttyUSB1", "/dev/ttyUSB2"])
        #expect(ports[0].serialNumber == "FTRPC001")
        #expect(ports[0].busPath == "1-1.2")
        #expect(ports[0].product == "Cryptech Alpha")
        #expect(ports[2].vendorID == 0x1a86 && ports[2].serialNumber == nil)
    }

    @Test func filtersAlphaPortsAndFindsBySerialNumber() throws {
        let root = try makeSysfs()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let sysfs = SysfsSerialPorts(sysfsRoot: root)
        #expect(sysfs.alphaPorts().map(\.ttyPath) == ["/dev/ttyUSB0", "/dev/ttyUSB1"])
        #expect(sysfs.port(serialNumber: "FTCTY001")?.ttyPath == "/dev/ttyUSB1")
        #expect(sysfs.port(serialNumber: "nope") == nil)
    }

    @Test func noSysfsMeansNoPorts() {
        #expect(SysfsSerialPorts(sysfsRoot: "/nonexistent-\(getpid())").ports().isEmpty)
    }
}
