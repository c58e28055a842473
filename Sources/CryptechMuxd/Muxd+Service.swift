import ServiceLifecycle

extension Muxd: Service {
    /// Serves until graceful shutdown (in a `ServiceGroup`: SIGTERM or SIGINT) or cancellation,
    /// then logs the counters and shuts down: sockets closed and their files removed, ttys
    /// closed.
    /// - Throws: what ``start()`` throws, when the daemon cannot start.
    public func run() async throws {
        try await start()
        // Returns at graceful shutdown and throws at cancellation: either way, stop now.
        try? await gracefulShutdown()
        await logStatistics()
        await shutdown()
    }
}
