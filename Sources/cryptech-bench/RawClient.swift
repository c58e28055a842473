#if canImport(Glibc)
import Glibc
#endif
import CryptechTransport

/// A raw client of a tty or the muxd's socket, read and written with plain system calls
/// (everything available in one read) and no allocation per round trip, so figures measure
/// the server, not a client library.
final class RawClient: @unchecked Sendable {
    // @unchecked: each client is used by one thread at a time (handed over, never shared).
    private var decoder = SLIPDecoder()
    private var buffer = [UInt8](repeating: 0, count: 65536)
    /// Sizes of frames decoded but not yet asked for, from `readySizes[readyHead...]`.
    private var readySizes: [Int] = []
    private var readyHead = 0
    /// Set by ``call(_:)``: keep the next frame's bytes (for setup, outside measurements).
    private var capture = false
    private var captured: [UInt8] = []

    private let descriptor: Int32
    private let closer: () -> Void

    init(path: String) throws {
        let port = try SerialPort(path: path)
        descriptor = port.descriptor
        closer = { port.close() }
    }

    /// A blocking stream socket connected to a Unix socket path (the muxd's).
    init(unixSocket path: String) throws {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw BenchError(description: "socket: \(errno)") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8) + [0]) }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else {
            Glibc.close(fd)
            throw BenchError(description: "connect \(path): \(errno)")
        }
        descriptor = fd
        closer = { Glibc.close(fd) }
    }

    func close() { closer() }

    func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + offset, bytes.count - offset) }
            if n < 0 {
                guard errno == EAGAIN || errno == EINTR else { throw BenchError(description: "write: \(errno)") }
                var fds = [pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)]
                _ = poll(&fds, 1, 1000)
                continue
            }
            offset += n
        }
    }

    /// Waits for `count` more frames; returns their total payload size.
    @discardableResult
    func receive(_ count: Int) throws -> Int {
        while readySizes.count - readyHead < count {
            // poll, not a blocking read: a reader blocked in read() on a Unix socket is also
            // woken each time the server consumes its request, which costs both sides.
            var ready = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&ready, 1, 5000) > 0 else { throw BenchError(description: "no reply within 5 s") }
            let n = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard n > 0 else { continue }
            buffer.withUnsafeBytes { bytes in
                decoder.decode(UnsafeRawBufferPointer(rebasing: bytes[0..<n]), frame: { frame in
                    readySizes.append(frame.count)
                    if capture { captured = Array(frame) }
                }, fault: { _ in })
            }
        }
        let total = readySizes[readyHead..<readyHead + count].reduce(0, +)
        readyHead += count
        if readyHead == readySizes.count {
            readySizes.removeAll(keepingCapacity: true)
            readyHead = 0
        }
        return total
    }

    func exchange(_ request: [UInt8], replies: Int) throws {
        try write(request)
        try receive(replies)
    }

    /// One request and its reply's bytes (setup: allocates).
    func call(_ request: [UInt8]) throws -> [UInt8] {
        capture = true
        defer { capture = false }
        try exchange(request, replies: 1)
        return captured
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
}
