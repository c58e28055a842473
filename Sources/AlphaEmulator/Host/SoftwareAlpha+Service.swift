import Dispatch
import ServiceLifecycle

extension SoftwareAlpha: Service {
    /// Serves (``start()``; a no-op when already started) until graceful shutdown (in a
    /// `ServiceGroup`: SIGTERM or SIGINT) or cancellation, then ``stop()``s: a host with the tty
    /// open reads end of file.
    public func run() async {
        start()
        // Returns at graceful shutdown and throws at cancellation: either way, stop now.
        try? await gracefulShutdown()
        // `stop()` waits for the RPC port's thread to end: not on the cooperative pool.
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                self.stop()
                done.resume()
            }
        }
    }
}
