import ArgumentParser
import CryptechExitStatus
import CryptechTransport
import Foundation

/// `cryptech devices`: the Alpha boards on USB, with the tty of each serial port.
struct DevicesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devices",
        abstract: "List attached Cryptech Alpha boards (USB 0403:6014) and their ttys.",
        discussion: """
            Without --watch, no board attached ends with "no board"; USB that cannot be used \
            here (libusb in a container without /dev/bus/usb) is a failure.
            """ + "\n\n" + ExitStatus.help(.success, .failed, .unreachable, .usage))

    @Flag(help: "Keep running and print arrivals and removals.")
    var watch = false

    func run() throws {
        let usb: LibUSB
        do {
            usb = try LibUSB()
        } catch {
            FileHandle.standardError.write(Data("cryptech devices: \(error)\n".utf8))
            throw ExitCode(.failed)
        }
        let boards = try alphaDevices(usb)
        if boards.isEmpty {
            FileHandle.standardError.write(Data("cryptech devices: no Cryptech Alpha attached (looked for USB 0403:6014)\n".utf8))
        }
        for device in boards { print(Self.line(for: device)) }
        guard watch else {
            if boards.isEmpty { throw ExitCode(.unreachable) }
            return
        }
        if LibUSB.supportsHotplug {
            try? usb.watch(vendorID: USBSerialPort.alphaVendorID, productID: USBSerialPort.alphaProductID,
                           shouldStop: { false }) { event in
                switch event {
                case .arrived(let device): print("+ " + Self.line(for: device))
                case .left(let device): print("- " + Self.line(for: device, withTTYs: false))
                }
                fflush(nil)
            }
        } else {
            // No hotplug on this platform: compare the device list once a second.
            var known = Set(boards)
            while true {
                Thread.sleep(forTimeInterval: 1)
                let now = Set(try alphaDevices(usb))
                for device in now.subtracting(known) { print("+ " + Self.line(for: device)) }
                for device in known.subtracting(now) { print("- " + Self.line(for: device, withTTYs: false)) }
                fflush(nil)
                known = now
            }
        }
    }

    private func alphaDevices(_ usb: LibUSB) throws -> [USBDevice] {
        do {
            return try usb.devices().filter(\.isAlphaCandidate).sorted { $0.busPath < $1.busPath }
        } catch {
            FileHandle.standardError.write(Data("cryptech devices: \(error)\n".utf8))
            throw ExitCode(.failed)
        }
    }

    /// `usb=1-1.2 0403:6014 serial=FT1234 tty=/dev/ttyUSB0`
    static func line(for device: USBDevice, withTTYs: Bool = true) -> String {
        let ports = SysfsSerialPorts().ports().filter { $0.busPath == device.busPath }
        let serial = device.serialNumber ?? ports.first?.serialNumber ?? "-"
        var text = "usb=\(device.busPath) 0403:6014 serial=\(serial)"
        if withTTYs {
            text += " tty=" + (ports.isEmpty ? "-" : ports.map(\.ttyPath).joined(separator: ","))
        }
        return text
    }
}
