import CryptechTransport
import Foundation
import TestProcesses
import Testing

/// Real pseudo-terminals, configured by the real serial port type.
@Suite struct SerialPortTests {
    @Test func framesCrossARealPtyInBothDirections() async throws {
        let pty = try PseudoTerminal()
        defer { pty.close() }
        let board = try await pty.masterLink()
        let host = try await SerialConnector(path: pty.slavePath, settings: SerialSettings(speed: 921_600)).open()

        let nasty = (0..<SLIP.maximumPayload).map { $0 % 2 == 0 ? SLIP.end : SLIP.esc }
        let frames: [[UInt8]] = [[0, 0, 0, 0, 0, 0, 0, 0], nasty, (0...255).map { UInt8($0) }]
        for frame in frames {
            try await host.send(frame)
            #expect(try await board.receive(timeout: .seconds(5)) == frame)
            try await board.send(frame)
            #expect(try await host.receive(timeout: .seconds(5)) == frame)
        }
        try await host.send(frames: frames)
        for frame in frames { #expect(try await board.receive(timeout: .seconds(5)) == frame) }
        await host.close()
        await board.close()
    }

    @Test func portIsRaw8N1AtTheRequestedSpeed() throws {
        let pty = try PseudoTerminal()
        defer { pty.close() }
        let port = try SerialPort(path: pty.slavePath, settings: SerialSettings(speed: 921_600))
        defer { port.close() }
        var t = termios()
        #expect(tcgetattr(port.descriptor, &t) == 0)
        #expect(cfgetospeed(&t) == speed_t(B921600))
        #expect(t.c_cflag & tcflag_t(CSIZE) == tcflag_t(CS8))
        #expect(t.c_cflag & tcflag_t(PARENB | CSTOPB) == 0)
        #expect(t.c_cflag & tcflag_t(CLOCAL | CREAD) == tcflag_t(CLOCAL | CREAD))
        #expect(t.c_lflag & tcflag_t(ICANON | ECHO | ISIG) == 0)
        #expect(t.c_iflag & tcflag_t(IXON | IXOFF | ICRNL) == 0)
    }

    @Test func nonStandardSpeedGoesThroughTermios2() throws {
        let pty = try PseudoTerminal()
        defer { pty.close() }
        let port = try SerialPort(path: pty.slavePath, settings: SerialSettings(speed: 250_000))
        port.close()
    }

    @Test func closeRestoresTheOriginalSettings() throws {
        let pty = try PseudoTerminal()
        defer { pty.close() }
        let probe = open(pty.slavePath, O_RDWR | O_NOCTTY)
        defer { close(probe) }
        var before = termios()
        tcgetattr(probe, &before)
        before.c_lflag |= tcflag_t(ECHO)
        cfsetospeed(&before, speed_t(B9600))
        tcsetattr(probe, TCSANOW, &before)
        let port = try SerialPort(path: pty.slavePath)
        port.close()
        var after = termios()
        tcgetattr(probe, &after)
        #expect(after.c_lflag & tcflag_t(ECHO) != 0)
        #expect(cfgetospeed(&after) == speed_t(B9600))
    }

    @Test func secondOpenFailsAsBusy() throws {
        let pty = try PseudoTerminal()
        defer { pty.close() }
        let first = try SerialPort(path: pty.slavePath)
        defer { first.close() }
        let error = #expect(throws: TransportError.self) { try SerialPort(path: pty.slavePath) }
        #expect(error?.code == .busy)
        #expect(error?.description.contains(pty.slavePath) == true)
        first.close()
        let again = try SerialPort(path: pty.slavePath)
        again.close()
    }

    @Test func missingDeviceIsNamed() async throws {
        let path = "/dev/ttyUSB-cryptech-missing-\(getpid())"
        let error = await #expect(throws: TransportError.self) { try await SerialConnector(path: path).open() }
        #expect(error?.code == .notFound)
        #expect(error?.description.contains(path) == true)
    }

    @Test func aRegularFileIsNotATerminal() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("not-a-tty-\(getpid())").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let error = #expect(throws: TransportError.self) { try SerialPort(path: path) }
        #expect(error?.code == .unsupported)
    }

    @Test func boardGoingAwayIsReportedAsLost() async throws {
        let pty = try PseudoTerminal()
        let host = try await SerialConnector(path: pty.slavePath).open()
        pty.close()
        let error = await #expect(throws: TransportError.self) { try await host.receive(timeout: .seconds(5)) }
        #expect(error?.code == .lost)
        await host.close()
    }

    @Test func readTimeoutLeavesTheLinkUsable() async throws {
        let pty = try PseudoTerminal()
        defer { pty.close() }
        let board = try await pty.masterLink()
        let host = try await SerialConnector(path: pty.slavePath).open()
        let error = await #expect(throws: TransportError.self) { try await host.receive(timeout: .milliseconds(50)) }
        #expect(error?.code == .timeout)
        try await board.send([1, 2, 3])
        #expect(try await host.receive(timeout: .seconds(5)) == [1, 2, 3])
        await host.close()
        let closed = await #expect(throws: TransportError.self) { try await host.receive(timeout: nil) }
        #expect(closed?.code == .closed)
        await board.close()
    }

    @Test func childProcessesDoNotInheritTheTTY() async throws {
        // A child holding the tty would keep its flock, and the next open would be "busy".
        let pty = try PseudoTerminal()
        defer { pty.close() }
        let board = try await pty.masterLink()
        let host = try await SerialConnector(path: pty.slavePath).open()
        let listing = try ChildProcess.run("/bin/sh", ["-c", "ls -l /proc/self/fd"]).stdout
        #expect(!listing.contains(pty.slavePath), "inherited: \(listing)")
        #expect(!listing.contains("/dev/ptmx"), "inherited: \(listing)")
        await host.close()
        await board.close()
        let again = try SerialPort(path: pty.slavePath)
        again.close()
    }
}
