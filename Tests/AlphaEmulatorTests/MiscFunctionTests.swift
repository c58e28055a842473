import AlphaEmulator
import CryptechTransport
import HalRPC
import Testing
import Foundation

/// GET_VERSION, GET_RANDOM, CHECK_TAMPER and the dispatcher's own answers (docs/wire-protocol.md §3.2),
/// through the real emulator on a pty.
@Suite("Dispatch and simple functions")
struct MiscFunctionTests {
    @Test("GET_VERSION answers 1.1.1.0")
    func version() async throws {
        let board = try Board.launch()
        defer { board.stop() }
        let client = board.client()
        #expect(try await client.getVersion() == 0x0101_0100)
    }

    @Test("GET_RANDOM: 0, 16 and 16368 bytes; 16369 overflows the reply (29)")
    func random() async throws {
        let board = try Board.launch()
        defer { board.stop() }
        let client = board.client()
        #expect(try await client.getRandom(count: 0).isEmpty)
        let a = try await client.getRandom(count: 16)
        let b = try await client.getRandom(count: 16)
        #expect(a.count == 16 && a != b)
        #expect(try await client.getRandom(count: 16368).count == 16368)
        let overflow = await status { _ = try await client.perform(RPC.GetRandom.self, .init(count: 16369)) }
        #expect(overflow == .rpcPacketOverflow)
        let huge = await status { _ = try await client.perform(RPC.GetRandom.self, .init(count: 0xFFFF_FFFF)) }
        #expect(huge == .rpcPacketOverflow)
    }

    @Test("CHECK_TAMPER: 0, or 50 with --tamper")
    func tamper() async throws {
        let board = try Board.launch()
        defer { board.stop() }
        try await board.client().checkTamper()
        let tampered = try Board.launch(["--tamper"])
        defer { tampered.stop() }
        #expect(await status { try await tampered.client().checkTamper() } == .tamper)
    }

    @Test("raw frames: unknown function → 30, truncated → 27, under 8 bytes → no reply, oversize → the board's truncation")
    func dispatcher() async throws {
        let board = try Board.launch()
        defer { board.stop() }
        let link = try await board.rawLink()
        // G7: unknown function 99.
        try await link.send(hex("00000063 00000000"))
        #expect(try await link.receive(timeout: .seconds(5)) == hex("00000063 00000000 0000001E"))
        // Function 32 and 65 are unassigned too; 66 is CHECK_TAMPER.
        try await link.send(hex("00000020 00000007"))
        #expect(try await link.receive(timeout: .seconds(5)) == hex("00000020 00000007 0000001E"))
        // G8: GET_RANDOM without its length word.
        try await link.send(hex("00000001 00000000"))
        #expect(try await link.receive(timeout: .seconds(5)) == hex("00000001 00000000 0000001B"))
        // Under 8 bytes: nothing at all; the next request is answered normally.
        try await link.send(hex("00000000"))
        try await link.send(hex("15 0D"))
        try await link.send(hex("00000000 00000005"))
        #expect(try await link.receive(timeout: .seconds(5)) == hex("00000000 00000005 00000000 01010100"))
        // A HASH_UPDATE longer than the board's 16 KiB buffer is cut to 16384 bytes and then
        // dispatched: its opaque runs past the end → 27, as on the board (docs/wire-protocol.md §1.3).
        let initialize = RPC.HashInitialize.Request(session: .zero, algorithm: .sha256, key: [])
        try await link.send(RPC.HashInitialize.encodeRequest(initialize, client: .zero))
        let initialized = try RPC.HashInitialize.decodeReply(try await link.receive(timeout: .seconds(5)), for: initialize)
        let handle = try initialized.get().hash
        var update = hex("0000000B 00000000")
        update += withUnsafeBytes(of: handle.rawValue.bigEndian, Array.init)
        update += hex("00004E20") + [UInt8](repeating: 0x41, count: 20000)
        try await link.send(update)
        #expect(try await link.receive(timeout: .seconds(5)) == hex("0000000B 00000000 0000001B"))
        // A missing pad before a following field → 47 (SET_PIN user, PIN "abcde" unpadded, then nothing).
        try await link.send(hex("00000003 00000000 00000001 00000005 6162636465"))
        let reply = try await link.receive(timeout: .seconds(5))
        #expect(reply.count == 12)
        await link.close()
    }

    @Test("requests: pad bytes are skipped unread, as the board skips them (docs/wire-protocol.md §2)")
    func nonZeroRequestPadding() async throws {
        let board = try Board.launch()
        defer { board.stop() }
        let link = try await board.rawLink()
        func exchange<F: RPCFunction>(_ function: F.Type, _ request: F.Request, padding: Range<Int>) async throws -> Result<F.Reply, HALError> {
            var frame = F.encodeRequest(request, client: .zero)
            frame.replaceSubrange(padding, with: [0xFF, 0x80, 0x01].prefix(padding.count))
            try await link.send(frame)
            return try F.decodeReply(try await link.receive(timeout: .seconds(5)), for: request)
        }
        // LOGIN with the 13-byte PIN: its 3 pad bytes at 29…31; the right PIN logs in.
        let login = RPC.Login.Request(user: .normal, pin: TestPINs.user)
        #expect(try await exchange(RPC.Login.self, login, padding: 29..<32) == .success(.init()))
        // "abc" hashed with its pad byte (at 19) set: SHA-256("abc") comes out.
        let hash = try await exchange(RPC.HashInitialize.self, .init(session: .zero, algorithm: .sha256, key: []), padding: 0..<0).get().hash
        #expect(try await exchange(RPC.HashUpdate.self, .init(hash: hash, data: Array("abc".utf8)), padding: 19..<20) == .success(.init()))
        let digest = try await exchange(RPC.HashFinalize.self, .init(hash: hash, length: 32), padding: 0..<0).get().digest
        #expect(digest == hex("BA7816BF 8F01CFEA 414140DE 5DAE2223 B00361A3 96177A9C B410FF61 F20015AD"))
        await link.close()
    }

    @Test("--link makes a symlink to the tty; SIGTERM stops cleanly and removes it")
    func linkAndTerminate() async throws {
        let directory = makeTemporaryDirectory()
        let link = directory + "/alpha.tty"
        let process = try EmulatorProcess.launch(arguments: ["--link", link, "--console-link", directory + "/alpha.cty"])
        var target = [CChar](repeating: 0, count: 256)
        let length = readlink(link, &target, target.count)
        #expect(length > 0)
        #expect(String(decoding: target.prefix(max(0, length)).map { UInt8(bitPattern: $0) }, as: UTF8.self) == process.rpcPath)
        #expect(process.consolePath != nil)
        let client = HSMClient(connector: SerialConnector(path: link))
        #expect(try await client.getVersion() == 0x0101_0100)
        await client.close()
        let status = process.terminate()
        #expect(status & 0x7F == 0, "exited, not killed by the signal")
        #expect((status >> 8) & 0xFF == 0, "exit status 0")
        #expect(access(link, F_OK) != 0, "link removed")
        #expect(access(directory + "/alpha.cty", F_OK) != 0, "console link removed")
        try? FileManager.default.removeItem(atPath: directory)
    }

    @Test("the board keeps serving when the host closes and reopens the tty")
    func reopen() async throws {
        let board = try Board.launch()
        defer { board.stop() }
        for round in 0..<3 {
            // The previous link lets go of the tty's lock as it finishes closing.
            var link: (any FrameLink)?
            let clock = ContinuousClock()
            let deadline = clock.now + .seconds(60)
            while link == nil, clock.now < deadline {
                do {
                    link = try await board.rawLink()
                } catch {
                    try await Task.sleep(for: .milliseconds(10))
                }
            }
            let open = try #require(link)
            try await open.send(hex("00000000") + withUnsafeBytes(of: UInt32(round).bigEndian, Array.init))
            #expect(try await open.receive(timeout: .seconds(5)).suffix(4) == hex("01010100"))
            await open.close()
        }
    }

    @Test("the muxd probe: GET_VERSION answered, the short frames around it ignored")
    func probe() async throws {
        let board = try Board.launch(["--console"])
        defer { board.stop() }
        let port = try SerialPort(path: board.process.rpcPath)
        defer { port.close() }
        let probe = hex("C0 15 C0 00 00 00 00 00 00 00 00 C0 15 0D")
        #expect(probe.withUnsafeBytes { write(port.descriptor, $0.baseAddress, $0.count) } == probe.count)
        // Up to the reply's closing END: a reply to either short frame would come first.
        let answer = await readUntil(port.descriptor) { bytes in bytes.filter { $0 == 0xC0 }.count >= 2 }
        #expect(answer == hex("C0 00000000 00000000 00000000 01010100 C0"))

        let consolePath = try #require(board.process.consolePath)
        let console = try SerialPort(path: consolePath)
        defer { console.close() }
        _ = probe.withUnsafeBytes { write(console.descriptor, $0.baseAddress, $0.count) }
        let prompts = ["Username:", "Password:", "cryptech>"]
        let text = String(decoding: await readUntil(console.descriptor) { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            return prompts.contains { text.contains($0) }
        }, as: UTF8.self)
        #expect(prompts.contains { text.contains($0) })
        #expect(!text.contains("\u{C0}"))
    }

    @Test("console: log in as wheel and reach the cryptech> prompt")
    func consoleLogin() async throws {
        let board = try Board.launch(["--console"])
        defer { board.stop() }
        let console = try SerialPort(path: try #require(board.process.consolePath))
        defer { console.close() }
        /// Types `text`, then reads the console until `expected` appears.
        func say(_ text: String, until expected: String) async -> String {
            let bytes = Array(text.utf8)
            _ = bytes.withUnsafeBytes { write(console.descriptor, $0.baseAddress, $0.count) }
            return String(decoding: await readUntil(console.descriptor) { String(decoding: $0, as: UTF8.self).contains(expected) }, as: UTF8.self)
        }
        #expect(await say("\r", until: "Username: ").contains("Username: "))
        #expect(await say("wheel\r", until: "Password: ").contains("Password: "))
        #expect(await say("wrong-pin-999\r", until: "Access denied").contains("Access denied"))
        #expect(await say("wheel\r", until: "Password: ").contains("Password: "))
        #expect(await say("wheel-pin-0123\r", until: "cryptech> ").contains("cryptech> "))
        #expect(await say("help\r", until: "cryptech> ").contains("cryptech> "))
        #expect(await say("logout\r", until: "Username: ").contains("Username: "))
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// What the descriptor yields until `done` holds for it, or until a minute has passed (a hang
/// guard: `done` decides, never the machine's speed). The blocking reads run on a thread of
/// their own, never on the cooperative pool that the emulator's client shares.
func readUntil(_ descriptor: Int32, _ done: @escaping @Sendable ([UInt8]) -> Bool) async -> [UInt8] {
    await withCheckedContinuation { continuation in
        DispatchQueue.global().async {
            let clock = ContinuousClock()
            let deadline = clock.now + .seconds(60)
            var data: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while !done(data), clock.now < deadline {
                var fds = [pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)]
                guard poll(&fds, 1, 100) > 0 else { continue }
                let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count > 0 {
                    data += buffer[0..<count]
                } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
                    break
                }
            }
            continuation.resume(returning: data)
        }
    }
}
