import CryptechMuxd
import HalRPC
import Foundation
import Testing

@Suite struct MuxdSocketTests {
    private func directory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("muxd-sock-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    private func configuration(socket: String, device: String) -> MuxdConfiguration {
        MuxdConfiguration(boards: [BoardConfiguration(name: "b", rpcDevice: .path(device), rpcSocket: SocketSpec(path: socket))])
    }

    @Test func aRegularFileAtTheSocketPathIsNotReplaced() async throws {
        let dir = try directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/rpc.sock"
        #expect(FileManager.default.createFile(atPath: path, contents: Data("keep me".utf8)))
        let muxd = try Muxd(configuration: configuration(socket: path, device: dir + "/none"), logger: MuxdHarness.quiet)
        await #expect(throws: MuxdError.self) { try await muxd.start() }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "keep me")
    }

    @Test func aLiveSocketIsRefusedAndAStaleOneReplaced() async throws {
        let harness = try await MuxdHarness.start()
        let second = try Muxd(configuration: configuration(socket: harness.rpcSocket, device: harness.board.linkPath), logger: MuxdHarness.quiet)
        let error = await #expect(throws: MuxdError.self) { try await second.start() }
        #expect(error?.description.contains("already running") == true)
        await second.shutdown()
        // Leave a stale socket file behind: bind one and close it without unlinking.
        let stale = harness.directory + "/stale.sock"
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(stale.utf8) + [0]) }
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        close(fd)
        let third = try Muxd(configuration: configuration(socket: stale, device: harness.board.linkPath), logger: MuxdHarness.quiet)
        try await third.start()
        var info = stat()
        #expect(stat(stale, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
        await third.shutdown()
        #expect(!FileManager.default.fileExists(atPath: stale), "socket files are unlinked at exit")
        await harness.stop()
    }

    @Test func duplicateSocketPathsAreAConfigurationError() throws {
        let spec = SocketSpec(path: "/tmp/x.sock")
        let configuration = MuxdConfiguration(boards: [
            BoardConfiguration(name: "a", rpcDevice: .path("/dev/a"), rpcSocket: spec),
            BoardConfiguration(name: "b", rpcDevice: .path("/dev/b"), rpcSocket: spec),
        ])
        #expect(throws: MuxdError.self) { try configuration.validate() }
    }

    @Test func timeoutSettingsParse() throws {
        var policy = TimeoutPolicy()
        #expect(policy.timeout(for: 0) == RPCTimeout.short.duration, "GET_VERSION is short")
        #expect(policy.timeout(for: 31) == RPCTimeout.keyGeneration.duration, "PKEY_GENERATE_HASHSIG")
        try policy.apply("keyGeneration=600")
        try policy.apply("short=2.5")
        #expect(policy.timeout(for: 31) == .seconds(600))
        #expect(policy.timeout(for: 0) == .milliseconds(2500))
        #expect(policy.timeout(for: 99) == .milliseconds(2500), "unassigned numbers are short")
        #expect(throws: MuxdError.self) { try policy.apply("sign=5") }
        #expect(throws: MuxdError.self) { try policy.apply("short=-1") }
    }
}
