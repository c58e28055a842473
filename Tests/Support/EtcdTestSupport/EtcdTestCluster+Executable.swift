import Foundation

extension EtcdTestCluster {
    /// The `etcd` binary (Debian's etcd-server, which tools/bootstrap installs), found on PATH.
    static func executable(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        let path = environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(directory)/etcd") {
            return "\(directory)/etcd"
        }
        throw EtcdTestClusterError(message: "no etcd on PATH: run tools/bootstrap (it installs etcd-server)")
    }

    /// Whether etcd is installed, for `.enabled(if:)`: a developer without it has the etcd
    /// suites skipped; under CI (`CI` set to anything but empty, `0` or `false`) a missing etcd
    /// fails them instead, so CI can never pass without having run them.
    /// - Throws: ``EtcdTestClusterError`` instead of returning `false` under CI.
    public static func etcdInstalled(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Bool {
        do {
            _ = try executable(environment: environment)
            return true
        } catch {
            let ci = environment["CI"].map { !["", "0", "false"].contains($0.lowercased()) } ?? false
            if ci { throw EtcdTestClusterError(message: "CI is set and etcd is missing: \(error)") }
            return false
        }
    }
}
