import CryptechMuxd
import ServiceLifecycle
import UnixSignals

/// Logs the muxd's counters at every SIGUSR1 and, with `--stats`, at every interval, until
/// graceful shutdown.
struct StatisticsLog: Service {
    let muxd: Muxd
    /// SIGUSR1, trapped by the caller before the muxd starts.
    let requests: UnixSignalsSequence
    let interval: Duration?

    func run() async {
        let muxd = self.muxd
        let requests = self.requests
        let interval = self.interval
        await withDiscardingTaskGroup { group in
            group.addTask {
                for await _ in requests.cancelOnGracefulShutdown() { await muxd.logStatistics() }
            }
            if let interval {
                group.addTask {
                    await cancelWhenGracefulShutdown {
                        // Sleeping ends by cancellation at graceful shutdown.
                        while (try? await Task.sleep(for: interval)) != nil { await muxd.logStatistics() }
                    }
                }
            }
        }
    }
}
