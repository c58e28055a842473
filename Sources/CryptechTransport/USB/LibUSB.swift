import CLibUSB

/// Enumeration and hotplug through libusb-1.0.
///
/// Ownership: a `LibUSB` owns its libusb context from `init` until `deinit`.
public final class LibUSB: Sendable {
    /// Why libusb could not be used (no USB bus in a container, no permission).
    public struct Failure: Error, Hashable, Sendable, CustomStringConvertible {
        /// The libusb function that failed.
        public var call: String
        /// libusb's error code (a negative `LIBUSB_ERROR_*`).
        public var code: Int32
        /// The call and libusb's text, with a hint at the usual cause in containers.
        public var description: String {
            let text = String(cString: libusb_strerror(code))
            return "\(call) failed: \(text) (no USB bus visible here? containers often lack /dev/bus/usb)"
        }
    }

    /// Arrival or removal of a device.
    public enum Event: Sendable, Hashable {
        /// A device was plugged in (`cryptech devices --watch` prints it with a `+`).
        case arrived(USBDevice)
        /// A device was unplugged (`cryptech devices --watch` prints it with a `-`).
        case left(USBDevice)
    }

    private let context: Context

    /// Initialises a libusb context.
    /// - Throws: ``Failure`` when libusb cannot start.
    public init() throws(Failure) {
        var raw: OpaquePointer?
        let status = libusb_init(&raw)
        guard status == 0, let raw else { throw Failure(call: "libusb_init", code: status) }
        context = Context(raw)
    }

    /// True when this platform's libusb can report arrivals and removals.
    public static var supportsHotplug: Bool { libusb_has_capability(UInt32(LIBUSB_CAP_HAS_HOTPLUG.rawValue)) != 0 }

    /// Every USB device present now. A serial number is read where the device can be opened.
    /// - Throws: ``Failure`` when the device list cannot be read.
    public func devices() throws(Failure) -> [USBDevice] {
        var list: UnsafeMutablePointer<OpaquePointer?>?
        let count = libusb_get_device_list(context.raw, &list)
        guard count >= 0, let list else { throw Failure(call: "libusb_get_device_list", code: Int32(count)) }
        defer { libusb_free_device_list(list, 1) }
        return (0..<count).compactMap { index in list[index].flatMap(Self.describe) }
    }

    /// Watches for arrivals and removals of devices with the given USB id until `shouldStop`
    /// returns true (checked five times a second), calling `handler` on the calling thread.
    /// - Throws: ``Failure`` when hotplug is unsupported or registration fails.
    public func watch(vendorID: UInt16, productID: UInt16, shouldStop: @Sendable () -> Bool, _ handler: @escaping @Sendable (Event) -> Void) throws(Failure) {
        guard Self.supportsHotplug else { throw Failure(call: "libusb_has_capability(HOTPLUG)", code: Int32(LIBUSB_ERROR_NOT_SUPPORTED.rawValue)) }
        let box = Unmanaged.passRetained(HotplugBox(handler))
        defer { box.release() }
        var callbackHandle: libusb_hotplug_callback_handle = 0
        let events = Int32(LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED.rawValue | LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT.rawValue)
        let status = libusb_hotplug_register_callback(
            context.raw, events, 0, Int32(vendorID), Int32(productID), LIBUSB_HOTPLUG_MATCH_ANY,
            { _, device, event, userData in
                guard let device, let userData else { return 0 }
                let box = Unmanaged<HotplugBox>.fromOpaque(userData).takeUnretainedValue()
                let described = LibUSB.describe(device, readSerial: event == LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED)
                if let described {
                    box.handler(event == LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED ? .arrived(described) : .left(described))
                }
                return 0
            },
            box.toOpaque(), &callbackHandle)
        guard status == 0 else { throw Failure(call: "libusb_hotplug_register_callback", code: status) }
        defer { libusb_hotplug_deregister_callback(context.raw, callbackHandle) }
        var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
        while !shouldStop() {
            _ = libusb_handle_events_timeout_completed(context.raw, &timeout, nil)
        }
    }

    private static func describe(_ device: OpaquePointer) -> USBDevice? { describe(device, readSerial: true) }

    private static func describe(_ device: OpaquePointer, readSerial: Bool) -> USBDevice? {
        var descriptor = libusb_device_descriptor()
        guard libusb_get_device_descriptor(device, &descriptor) == 0 else { return nil }
        var ports = [UInt8](repeating: 0, count: 8)
        let depth = libusb_get_port_numbers(device, &ports, Int32(ports.count))
        var serial: String?
        if readSerial, descriptor.iSerialNumber != 0 {
            var handle: OpaquePointer?
            if libusb_open(device, &handle) == 0, let handle {
                var buffer = [UInt8](repeating: 0, count: 256)
                let length = libusb_get_string_descriptor_ascii(handle, descriptor.iSerialNumber, &buffer, Int32(buffer.count))
                if length > 0 { serial = String(decoding: buffer[0..<Int(length)], as: UTF8.self) }
                libusb_close(handle)
            }
        }
        return USBDevice(
            vendorID: descriptor.idVendor, productID: descriptor.idProduct,
            busNumber: libusb_get_bus_number(device), portNumbers: Array(ports.prefix(Int(max(0, depth)))),
            serialNumber: serial)
    }

    /// The context pointer, freed with the object.
    private final class Context: @unchecked Sendable {
        // Safe to share: libusb contexts are thread-safe for the calls made here.
        let raw: OpaquePointer
        init(_ raw: OpaquePointer) { self.raw = raw }
        deinit { libusb_exit(raw) }
    }

    private final class HotplugBox {
        let handler: @Sendable (Event) -> Void
        init(_ handler: @escaping @Sendable (Event) -> Void) { self.handler = handler }
    }
}
