import HalRPC
import Logging
import Synchronization
import Testing

/// What the client logs, captured in memory at the most verbose level: never a PIN, key or
/// payload byte.
@Suite struct LoggingTests {
    final class Capture: Sendable {
        let lines = Mutex<[String]>([])
    }

    struct CaptureHandler: LogHandler {
        let capture: Capture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { $1 }
            capture.lines.withLock { $0.append("\(event.level) \(event.message) \(all)") }
        }
    }

    @Test func pinsAndPayloadsStayOutOfTheLog() async throws {
        let capture = Capture()
        let logger = Logger(label: "test") { _ in CaptureHandler(capture: capture) }
        let connector = FakeAlphaConnector()
        let client = HSMClient(connector: connector, logger: logger)
        let secret = "Sup3rSecretPIN"
        await #expect(throws: HSMClientError.device(.pinIncorrect)) { try await client.login(user: .wheel, pin: PIN(secret)) }
        _ = try await client.getRandom(count: 16)
        let lines = capture.lines.withLock { $0 }
        #expect(!lines.isEmpty)
        for line in lines {
            #expect(!line.contains(secret), "\(line)")
            #expect(!line.contains("53 75 70") && !line.contains("[83, 117"), "\(line)")
        }
        #expect(lines.contains { $0.contains("rpc.status") && $0.contains("24") })
    }
}
