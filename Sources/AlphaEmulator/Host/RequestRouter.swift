import Dispatch
import HalRPC
import Synchronization

/// Runs requests one at a time per client handle without letting one client's slow request
/// (an RSA 4096 keygen) hold up any other client.
///
/// Each client handle with work in progress has a *lane*: a serial dispatch queue. A request
/// whose client has nothing in progress and whose function is cheap is answered inline on the
/// port's I/O thread (the fast path: one read, one write, no thread hop). Anything else joins
/// its client's lane, and its reply is submitted to the port when done, so replies for
/// different clients may leave in any order — as with a firmware built with several dispatch
/// tasks (docs/wire-protocol.md §3.2); clients and the muxd match replies by handle and function.
///
/// LOGIN is the exception to "no client holds up another": it leaves its client's lane for
/// the board's ``PINCheckGate``, which checks PINs one at a time for all clients and pauses
/// after a wrong one; the client's lane waits for it (its next request follows its LOGIN, as
/// on the board) without holding a thread.
final class RequestRouter: RequestRouting {
    private let server: AlphaServer
    private let lanes = Mutex<[ClientHandle: Lane]>([:])

    /// A client's queue of requests; removed again when it runs empty.
    private final class Lane: @unchecked Sendable {
        let queue: DispatchQueue
        /// Requests queued or running; guarded by the router's `lanes` lock.
        var pending = 0

        init(client: ClientHandle) {
            queue = DispatchQueue(label: "cryptech.emulator.client.\(client)")
        }
    }

    init(server: AlphaServer) {
        self.server = server
    }

    func route(_ frame: [UInt8], port: RPCPort) -> [UInt8]? {
        // docs/wire-protocol.md §3.2: under 8 bytes, no reply at all.
        guard let request = IncomingRequest(frame: frame) else { return nil }
        let client = request.header.client
        let inline = AlphaServer.runsInline(request.function)
        let lane: Lane? = lanes.withLock { lanes in
            if let lane = lanes[client] {
                lane.pending += 1
                return lane
            }
            guard !inline else { return nil }
            let lane = Lane(client: client)
            lane.pending = 1
            lanes[client] = lane
            return lane
        }
        guard let lane else { return server.handle(request).bytes }
        lane.queue.async { [self] in
            guard request.function == .login else {
                port.submit(server.handle(request).bytes)
                finished(lane, client: client)
                return
            }
            lane.queue.suspend()
            server.pinChecks.submit({ [server] in
                let reply = server.handle(request)
                return (reply.bytes, reply.pinCheck)
            }, then: { [self] bytes in
                port.submit(bytes)
                finished(lane, client: client)
                lane.queue.resume()
            })
        }
        return nil
    }

    private func finished(_ lane: Lane, client: ClientHandle) {
        lanes.withLock { lanes in
            lane.pending -= 1
            if lane.pending == 0, lanes[client] === lane { lanes[client] = nil }
        }
    }
}
