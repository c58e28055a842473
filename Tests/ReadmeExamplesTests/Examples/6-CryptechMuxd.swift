import CryptechMuxd
import Logging

/// The multiplexer in this process: the board on `device` served to any number of clients
/// at `socket`, each with its own client handle and login.
func serveBoard(device: String, socket: String, logger: Logger) async throws -> Muxd {
    let configuration = MuxdConfiguration(boards: [
        BoardConfiguration(name: "alpha", rpcDevice: .path(device), rpcSocket: SocketSpec(path: socket, mode: 0o660)),
    ])
    let muxd = try Muxd(configuration: configuration, logger: logger)
    try await muxd.start()  // `await muxd.shutdown()` stops it and removes the socket
    return muxd
}
