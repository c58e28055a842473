import CoreMetrics
import DurableFile
import Prometheus
import SystemPackage

/// Metrics as a file in Prometheus's text exposition format, for node_exporter's textfile
/// collector (which reads `*.prom` files in its directory).
///
/// Why a file first: an HSM host should open no listening port it does not need, and the
/// collector already runs there. The file is replaced atomically (`DurableFile/replace(_:with:mode:)`:
/// a temporary file beside it, renamed over it), so the collector never reads half a file; the
/// temporary's name does not end in `.prom`, so the collector never reads it either.
public enum PrometheusTextFile {
    /// Readable by everyone: node_exporter usually runs as a user of its own, and the values are
    /// counts, never PINs, keys or payloads.
    public static let defaultMode: FilePermissions = [.ownerReadWrite, .groupRead, .otherRead]

    /// The metrics file could not be written; the file is unchanged.
    public struct WriteError: Error, CustomStringConvertible {
        /// The metrics file that was to be replaced.
        public let path: String
        /// What failed: it may name the temporary file beside `path`.
        public let cause: DurableFileError
        /// One line naming the metrics file and the step that failed.
        public var description: String { "cannot write the metrics file \(path): \(cause)" }
    }

    /// Replaces `path` with what `registry` holds now.
    /// - Throws: ``WriteError`` when the file cannot be written; `path` is unchanged then.
    public static func write(_ registry: PrometheusCollectorRegistry, to path: String,
                             mode: FilePermissions = defaultMode) throws(WriteError) {
        do {
            try DurableFile.replace(path, with: render(registry), mode: mode)
        } catch {
            throw WriteError(path: path, cause: error)
        }
    }

    /// Records metrics through swift-metrics into a registry of their own and replaces `path`
    /// with them: for one-shot commands such as `cryptech share status --metrics-file`.
    /// - Parameters:
    ///   - path: the file to replace.
    ///   - mode: its permission bits; readable by everyone unless told otherwise.
    ///   - record: records the metrics with the factory it is given.
    /// - Throws: ``WriteError`` when the file cannot be written.
    public static func write(to path: String, mode: FilePermissions = defaultMode,
                             record: (any MetricsFactory) -> Void) throws(WriteError) {
        let registry = PrometheusCollectorRegistry()
        record(PrometheusMetricsFactory(registry: registry))
        try write(registry, to: path, mode: mode)
    }

    /// The exposition text of `registry`.
    public static func render(_ registry: PrometheusCollectorRegistry) -> [UInt8] {
        var bytes: [UInt8] = []
        registry.emit(into: &bytes)
        return bytes
    }
}
