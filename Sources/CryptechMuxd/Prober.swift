#if canImport(Glibc)
import Glibc
#endif
import CryptechTransport

/// Tells a board's RPC port from its console port by what each answers to the reference
/// probe string (docs/wire-protocol.md §11.4).
public enum Prober {
    /// What a port turned out to be.
    public enum Kind: Sendable, Hashable {
        /// It answered GET_VERSION with a well-formed SLIP reply: the board's RPC port.
        case rpc
        /// It printed a login or console prompt: the board's console port.
        case console
        /// It answered neither way, or could not be opened.
        case unknown
    }

    /// END, Ctrl-U, END, GET_VERSION (client 0), END, Ctrl-U, CR.
    public static let probeBytes: [UInt8] = [0xC0, 0x15, 0xC0, 0, 0, 0, 0, 0, 0, 0, 0, 0xC0, 0x15, 0x0D]

    /// Classifies what a port sent back after the probe string.
    public static func classify(_ answer: [UInt8]) -> Kind {
        let text = String(decoding: answer, as: UTF8.self)
        if ["Username:", "Password:", "cryptech>"].contains(where: text.contains) { return .console }
        // C0, GET_VERSION reply header (function 0, client 0, status OK), a 4-byte version, C0.
        let header: [UInt8] = [0xC0] + [UInt8](repeating: 0, count: 12)
        if answer.count >= header.count + 5 {
            for start in 0...(answer.count - header.count - 5) where answer[start] == 0xC0 {
                if Array(answer[start..<(start + header.count)]) == header, answer[start + header.count + 4] == 0xC0 {
                    return .rpc
                }
            }
        }
        return .unknown
    }

    /// Probes one port: writes the probe string, waits `wait`, reads what came, and writes
    /// the tidy-up byte the reference writes (Ctrl-U to a console, END to an RPC port).
    /// Blocking; run it off the cooperative pool for many ports.
    public static func probe(path: String, settings: SerialSettings = .alpha, wait: Duration = .milliseconds(500)) -> Kind {
        guard let port = try? SerialPort(path: path, settings: settings) else { return .unknown }
        defer { port.close() }
        guard writeAll(port.descriptor, probeBytes) else { return .unknown }
        var answer: [UInt8] = []
        let clock = ContinuousClock()
        let deadline = clock.now + wait
        var buffer = [UInt8](repeating: 0, count: 4096)
        while clock.now < deadline {
            var poller = pollfd(fd: port.descriptor, events: Int16(POLLIN), revents: 0)
            let remaining = Int32(max(1, (deadline - clock.now).nanosecondsClamped / 1_000_000))
            guard poll(&poller, 1, remaining) > 0 else { continue }
            let count = read(port.descriptor, &buffer, buffer.count)
            guard count > 0 else { break }
            answer += buffer[0..<count]
        }
        let kind = classify(answer)
        switch kind {
        case .console: _ = writeAll(port.descriptor, [0x15])
        case .rpc: _ = writeAll(port.descriptor, [0xC0])
        case .unknown: break
        }
        return kind
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EAGAIN || errno == EINTR {
                    usleep(1000)
                    continue
                }
                return false
            }
            offset += n
        }
        return true
    }
}
