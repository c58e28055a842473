import AsyncHTTPClient
import EtcdClient
import Foundation
import NIOCore

extension EtcdTestCluster {
    /// Turns on etcd's authentication with a `root` user (role root, as etcd requires) whose
    /// password is `password`, through the gateway of member 0. The client under test has no
    /// user administration, so the cluster does it with plain requests, never on a command line.
    /// After this, ``restart(_:)`` cannot tell when a member serves (its check is anonymous).
    public func enableAuthentication(rootPassword password: String) async throws {
        let base = endpoints[0].description
        try await HTTPClient.withHTTPClient { http in
            let steps: [(String, [String: String])] = [
                ("/v3/auth/role/add", ["name": "root"]),
                ("/v3/auth/user/add", ["name": "root", "password": password]),
                ("/v3/auth/user/grant", ["user": "root", "role": "root"]),
                ("/v3/auth/enable", [:]),
            ]
            for (path, body) in steps {
                var request = HTTPClientRequest(url: "http://\(base)\(path)")
                request.method = .POST
                request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(body)))
                let response = try await http.execute(request, timeout: .seconds(30))
                let reply = try await response.body.collect(upTo: 1 << 16)
                guard response.status == .ok else {
                    throw EtcdTestClusterError(message: "\(path): HTTP \(response.status.code) \(String(buffer: reply))")
                }
            }
        }
    }
}
