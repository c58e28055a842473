import Foundation

extension EtcdTestCluster {
    /// `etcd` or `etcdctl` (Debian's etcd-server and etcd-client, which tools/bootstrap
    /// installs), found on PATH.
    public static func executable(
        _ name: String = "etcd",
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> String {
        let path = environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(directory)/\(name)") {
            return "\(directory)/\(name)"
        }
        throw EtcdTestClusterError(message: "no \(name) on PATH: run tools/bootstrap (it installs etcd-server and etcd-client)")
    }

    /// Whether etcd and etcdctl are installed, for `.enabled(if:)`: a developer without them
    /// has the etcd suites skipped; under CI (`CI` set to anything but empty, `0` or `false`)
    /// a missing one fails them instead, so CI can never pass without having run them.
    /// - Throws: ``EtcdTestClusterError`` instead of returning `false` under CI.
    public static func etcdInstalled(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Bool {
        do {
            _ = try executable("etcd", environment: environment)
            _ = try executable("etcdctl", environment: environment)
            return true
        } catch {
            let ci = environment["CI"].map { !["", "0", "false"].contains($0.lowercased()) } ?? false
            if ci { throw EtcdTestClusterError(message: "CI is set and \(error)") }
            return false
        }
    }
}
