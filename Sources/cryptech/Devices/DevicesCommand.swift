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

    @OptionGroup var output: OutputOptions
    @OptionGroup var logging: LoggingOptions

    /// What `--watch` saw happen to a board.
    enum Event: String, Encodable {
        case arrived, left
    }

    /// One board, for `--json` (see docs/json.md).
    struct Output: Encodable {
        /// Under --watch; absent in the first listing.
        var event: Event?
        /// Bus and port path, e.g. `1-1.2`.
        var usb: String
        var vendorProduct = "0403:6014"
        var serial: String?
        /// The board's serial ports (absent for a board that left).
        var ttys: [String]?
    }

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
        for device in boards { try show(device) }
        guard watch else {
            if boards.isEmpty { throw ExitCode(.unreachable) }
            return
        }
        if LibUSB.supportsHotplug {
            try? usb.watch(vendorID: USBSerialPort.alphaVendorID, productID: USBSerialPort.alphaProductID,
                           shouldStop: { false }) { event in
                switch event {
                case .arrived(let device): try? show(device, event: .arrived)
                case .left(let device): try? show(device, event: .left)
                }
                fflush(nil)
            }
        } else {
            // No hotplug on this platform: compare the device list once a second.
            var known = Set(boards)
            while true {
                Thread.sleep(forTimeInterval: 1)
                let now = Set(try alphaDevices(usb))
                for device in now.subtracting(known) { try show(device, event: .arrived) }
                for device in known.subtracting(now) { try show(device, event: .left) }
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

    /// Prints one board: as JSON, or as `usb=1-1.2 0403:6014 serial=FT1234 tty=/dev/ttyUSB0`
    /// (after `+ ` or `- ` for an arrival or a removal; a board that left has no ttys).
    private func show(_ device: USBDevice, event: Event? = nil) throws {
        let listing = Self.listing(for: device, event: event)
        if output.json { return try output.printJSON(listing) }
        var text = "usb=\(listing.usb) \(listing.vendorProduct) serial=\(listing.serial ?? "-")"
        if let ttys = listing.ttys { text += " tty=" + (ttys.isEmpty ? "-" : ttys.joined(separator: ",")) }
        print((event.map { $0 == .arrived ? "+ " : "- " } ?? "") + text)
    }

    static func listing(for device: USBDevice, event: Event?) -> Output {
        let ports = SysfsSerialPorts().ports().filter { $0.busPath == device.busPath }
        return Output(event: event, usb: device.busPath, serial: device.serialNumber ?? ports.first?.serialNumber,
                      ttys: event == .left ? nil : ports.map(\.ttyPath))
    }
}
