import Logging
import Prometheus
import ServiceLifecycle

/// Writes a registry to a ``PrometheusTextFile`` at start, at every interval, and once more at
/// graceful shutdown (so the last counts of a stopping daemon are not lost).
///
/// The first write failing fails the service, so a daemon given a path it cannot write stops at
/// start with the cause. A later failure (a full disk) is logged and retried at the next
/// interval: losing metrics for a while must not stop a daemon that serves boards.
public struct MetricsFileWriter: Service {
    private let registry: PrometheusCollectorRegistry
    private let path: String
    private let interval: Duration
    private let logger: Logger

    /// - Parameters:
    ///   - registry: the metrics to write, as they stand at each write.
    ///   - path: the file to replace, a `*.prom` file in node_exporter's textfile directory.
    ///   - interval: time between writes; positive.
    ///   - logger: where a failed write after the first is reported (it is retried, not fatal).
    public init(registry: PrometheusCollectorRegistry, path: String, interval: Duration, logger: Logger) {
        precondition(interval > .zero, "a metrics interval must be positive")
        self.registry = registry
        self.path = path
        self.interval = interval
        self.logger = logger
    }

    /// - Throws: ``PrometheusTextFile/WriteError`` when the first write fails.
    public func run() async throws {
        try PrometheusTextFile.write(registry, to: path)
        let interval = self.interval
        await cancelWhenGracefulShutdown {
            // Sleeping ends by cancellation at graceful shutdown; nothing else throws here.
            while (try? await Task.sleep(for: interval)) != nil {
                writeLogging()
            }
        }
        writeLogging()
    }

    private func writeLogging() {
        do {
            try PrometheusTextFile.write(registry, to: path)
        } catch {
            logger.warning("\(error)")
        }
    }
}
