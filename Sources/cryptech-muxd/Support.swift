import Foundation
import Logging
import CryptechMuxd
import Synchronization

/// A log handler appending formatted lines to a file (the reference's `-l`).
struct FileLogHandler: LogHandler {
    let label: String
    let file: FileHandle
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    init(label: String, file: FileHandle, level: Logger.Level) {
        self.label = label
        self.file = file
        self.logLevel = level
    }

    static func open(path: String) -> FileHandle? {
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else { return nil }
        }
        guard let handle = FileHandle(forWritingAtPath: path) else { return nil }
        handle.seekToEndOfFile()
        return handle
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let fields = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let line = "\(Date().ISO8601Format()) \(event.level) \(label): \(event.message)\(fields.isEmpty ? "" : " " + fields)\n"
        file.write(Data(line.utf8))
    }
}

/// Probe answers gathered from concurrent probes.
final class ProbeResults: Sendable {
    private let storage: Mutex<[Prober.Kind]>
    init(count: Int) { storage = Mutex(Array(repeating: .unknown, count: count)) }
    func set(_ index: Int, _ kind: Prober.Kind) { storage.withLock { $0[index] = kind } }
    var values: [Prober.Kind] { storage.withLock { $0 } }
}
