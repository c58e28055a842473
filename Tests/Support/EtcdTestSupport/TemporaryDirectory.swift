import Foundation

enum TemporaryDirectory {
    /// A new, empty directory under the system's temporary directory.
    static func make(prefix: String) throws -> String {
        var template = Array((NSTemporaryDirectory() + "/\(prefix)-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw EtcdTestClusterError(message: "mkdtemp: errno \(errno)")
        }
        return String(cString: made)
    }
}
