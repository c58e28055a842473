#if canImport(Glibc)
import Glibc
#endif
import CoreMetrics
import CryptechMetrics
import Foundation
import Testing

@Suite struct PrometheusTextFileTests {
    private func directory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("prom-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test("Metrics recorded through swift-metrics land in the file in the text format, readable by a collector of another user")
    func write() throws {
        let dir = try directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/test.prom"
        try PrometheusTextFile.write(to: path) { factory in
            Counter(label: "cryptech_test_total", dimensions: [("board", "A")], factory: factory).increment(by: 3)
            Gauge(label: "cryptech_test_gauge", dimensions: [("board", "A")], factory: factory).record(7)
        }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("# TYPE cryptech_test_total counter\ncryptech_test_total{board=\"A\"} 3\n"))
        #expect(text.contains("# TYPE cryptech_test_gauge gauge\ncryptech_test_gauge{board=\"A\"} 7.0\n"))
        var info = stat()
        #expect(stat(path, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o644)
        // Written again: replaced whole, and no temporary left for the collector to read.
        try PrometheusTextFile.write(to: path) { _ in }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["test.prom"])
    }

    @Test("A file in a missing directory is an error naming the file and the cause")
    func missingDirectory() throws {
        let path = "/nonexistent/cryptech/test.prom"
        let error = #expect(throws: PrometheusTextFile.WriteError.self) { try PrometheusTextFile.write(to: path) { _ in } }
        #expect(error?.path == path)
        #expect(error?.description.hasPrefix("cannot write the metrics file \(path): ") == true)
        #expect(error?.description.hasSuffix("No such file or directory") == true)
    }
}
