import CoreMetrics
import CryptechMetrics

/// A one-shot command's metrics: one gauge, written as node_exporter's textfile collector reads it.
func writeRemaining(_ remaining: Int64, to path: String) throws {
    try PrometheusTextFile.write(to: path) { factory in  // replaced atomically, mode 0644
        factory.makeRecorder(label: "cryptech_example_signatures_left", dimensions: [], aggregate: false).record(remaining)  // a gauge
    }
}
