import EtcdClient
import Foundation
import TestProcesses

/// A throwaway CA and, signed by it, a server certificate for 127.0.0.1 and a client
/// certificate: made with the openssl command (as an operator would), in `directory`.
public struct TestCertificates: Sendable {
    public let caFile: String
    public let serverCertificateFile: String
    public let serverKeyFile: String
    public let clientCertificateFile: String
    public let clientKeyFile: String

    public static func make(in directory: String) throws -> TestCertificates {
        func path(_ name: String) -> String { "\(directory)/\(name)" }
        try openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                     "-keyout", path("ca.key"), "-out", path("ca.pem"), "-subj", "/CN=etcd-test-ca", "-days", "2"])
        for (name, extensions) in [("server", "subjectAltName=IP:127.0.0.1"), ("client", "extendedKeyUsage=clientAuth")] {
            try openssl(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                         "-keyout", path("\(name).key"), "-out", path("\(name).csr"), "-subj", "/CN=etcd-test-\(name)"])
            try extensions.write(toFile: path("\(name).ext"), atomically: true, encoding: .utf8)
            try openssl(["x509", "-req", "-in", path("\(name).csr"), "-CA", path("ca.pem"), "-CAkey", path("ca.key"),
                         "-CAcreateserial", "-out", path("\(name).pem"), "-days", "2", "-extfile", path("\(name).ext")])
        }
        return TestCertificates(
            caFile: path("ca.pem"),
            serverCertificateFile: path("server.pem"),
            serverKeyFile: path("server.key"),
            clientCertificateFile: path("client.pem"),
            clientKeyFile: path("client.key")
        )
    }

    /// Members that serve TLS and require a client certificate signed by the CA.
    public var clusterFiles: EtcdTestCluster.TLSFiles {
        EtcdTestCluster.TLSFiles(
            certificateFile: serverCertificateFile,
            keyFile: serverKeyFile,
            clientCAFile: caFile,
            client: EtcdConfiguration.TLS(caFile: caFile, certificateFile: clientCertificateFile, keyFile: clientKeyFile)
        )
    }

    private static func openssl(_ arguments: [String]) throws {
        let run = try ChildProcess.run("/usr/bin/openssl", arguments)
        guard run.status == 0, run.signal == nil else {
            throw EtcdTestClusterError(message: "openssl \(arguments[0]) failed: \(run.stderr)")
        }
    }
}
