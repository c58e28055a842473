import EtcdClient
import EtcdTestSupport
import Foundation
import Testing

extension EtcdClusterTests {
    @Suite("TLS and authentication")
    struct Security {
        @Test("Members that require client certificates serve a client with the CA and its certificate, and no other")
        func tls() async throws {
            let directory = NSTemporaryDirectory() + "/etcd-certs-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let certificates = try TestCertificates.make(in: directory)
            try await EtcdTestCluster.with(tls: certificates.clusterFiles) { cluster in
                let client = try cluster.client(tls: certificates.clusterFiles.client)
                try await client.put("/tls/k", [1])
                #expect(try await client.get("/tls/k")?.value == [1])
                await client.shutdown()

                let anonymous = try cluster.client(requestTimeout: .seconds(10), tls: EtcdConfiguration.TLS(caFile: certificates.caFile))
                await #expect {
                    _ = try await anonymous.get("/tls/k")
                } throws: { error in
                    guard case .noQuorum(let tried, _) = error as? EtcdError else { return false }
                    return tried == cluster.endpoints
                }
                await anonymous.shutdown()
            }
        }

        @Test("A TLS file that cannot be loaded fails at configuration, naming the file")
        func badTLSFile() throws {
            let missing = "/nonexistent/etcd-ca.pem"
            #expect {
                _ = try EtcdClient(configuration: EtcdConfiguration(
                    endpoints: [EtcdEndpoint(host: "127.0.0.1", port: 2379)],
                    tls: EtcdConfiguration.TLS(caFile: missing)
                ))
            } throws: { error in
                guard case .tlsConfiguration(let file, _) = error as? EtcdError else { return false }
                return file == missing
            }
        }

        @Test("With authentication on, a client with the user and password is served; a wrong password is a typed error")
        func authentication() async throws {
            try await EtcdTestCluster.with { cluster in
                let password = UUID().uuidString
                try await cluster.enableAuthentication(rootPassword: password)
                let anonymous = try cluster.client()
                await #expect {
                    try await anonymous.put("/auth/k", [1])
                } throws: { error in
                    guard case .refused = error as? EtcdError else { return false }
                    return true
                }
                await anonymous.shutdown()

                let user = try cluster.client(credentials: EtcdConfiguration.Credentials(user: "root", password: password))
                try await user.put("/auth/k", [2])
                #expect(try await user.get("/auth/k")?.value == [2])
                await user.shutdown()

                let wrong = try cluster.client(credentials: EtcdConfiguration.Credentials(user: "root", password: "wrong"))
                await #expect {
                    _ = try await wrong.get("/auth/k")
                } throws: { error in
                    guard case .authenticationFailed(let endpoint, _) = error as? EtcdError else { return false }
                    return endpoint == cluster.endpoints[0]
                }
                await wrong.shutdown()
            }
        }
    }
}
