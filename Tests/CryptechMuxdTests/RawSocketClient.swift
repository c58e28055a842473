import BlockingWork
import CryptechTransport
import Dispatch
import Foundation

/// A client on a plain blocking Unix socket that writes exactly the bytes it is given and
/// reads only when asked: for frames no well-behaved link would send, and for a client that
/// does not read its replies. Its blocking calls run on a Dispatch thread, never on the
/// tasks' cooperative pool, so other tests running alongside are not starved.
final class RawSocketClient: @unchecked Sendable {
    // @unchecked: used by one test task at a time, each call finished before the next.
    /// What a wait for the next frame found.
    enum Next: Equatable {
        case frame([UInt8])
        /// The muxd closed the connection.
        case closed
        /// Nothing within the time given.
        case timeout
    }

    private let fd: Int32
    private var decoder = SLIPDecoder()
    private var frames: [[UInt8]] = []
    private var closed = false

    init(path: String) throws {
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8) + [0]) }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else {
            let code = errno
            Glibc.close(fd)
            throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)
        }
    }

    deinit { Glibc.close(fd) }

    /// Writes all of `bytes` (waiting while the socket's buffer is full).
    func write(_ bytes: [UInt8]) async throws {
        try await offThePool { try self.writeBlocking(bytes) }
    }

    /// Writes `message` as one SLIP frame.
    func send(_ message: [UInt8]) async throws { try await write(SLIPEncoder.encode(message)) }

    /// The next frame from the muxd, waiting at most `timeout`.
    func next(timeout: Duration = .seconds(10)) async -> Next {
        (try? await offThePool { self.nextBlocking(timeout: timeout) }) ?? .timeout
    }

    private func writeBlocking(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            offset += n
        }
    }

    private func nextBlocking(timeout: Duration) -> Next {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var buffer = [UInt8](repeating: 0, count: 65536)
        while frames.isEmpty, !closed {
            let left = deadline - clock.now
            guard left > .zero else { return .timeout }
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let milliseconds = Int32(min(left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000, 60_000))
            guard poll(&poller, 1, max(milliseconds, 1)) > 0 else { continue }
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n <= 0 {
                closed = true
                break
            }
            decoder.decode(Array(buffer[0..<n])) { event in
                if case .frame(let frame) = event { frames.append(frame) }
            }
        }
        guard !frames.isEmpty else { return .closed }
        return .frame(frames.removeFirst())
    }
}
