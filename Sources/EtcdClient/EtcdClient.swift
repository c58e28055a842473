import AsyncHTTPClient
import Logging
import NIOCore
import NIOSSL

/// An etcd v3 client over the members' HTTP/JSON gateway (why the gateway and not gRPC:
/// README.md beside this file).
///
/// Every read is linearizable. A request goes to one member at a time, starting with the last
/// one that answered; a member that is down, paused or without a quorum is passed over for the
/// next, and when none serves, the call fails with ``EtcdError/noQuorum(tried:failures:)``
/// naming each. A write whose member timed out may still have been applied: callers make
/// writes conditional (``txn(_:)``), so a retry cannot apply twice and a re-read tells.
public final class EtcdClient: Sendable {
    /// The members, TLS, credentials and limits this client was made with; fixed for its life.
    public let configuration: EtcdConfiguration
    let http: HTTPClient
    let logger: Logger
    let session: EtcdSession

    /// - Throws: ``EtcdError/tlsConfiguration(file:reason:)`` for a TLS file that cannot be
    ///   loaded (they are loaded here, so a bad file fails before any request);
    ///   ``EtcdError/noEndpoints`` for an empty member list.
    public init(configuration: EtcdConfiguration, logger: Logger = EtcdClient.silentLogger) throws(EtcdError) {
        guard !configuration.endpoints.isEmpty else { throw .noEndpoints }
        var httpConfiguration = HTTPClient.Configuration(
            tlsConfiguration: try configuration.tls.map { tls throws(EtcdError) in try Self.tlsConfiguration(tls) },
            redirectConfiguration: .disallow,
            timeout: .init(connect: TimeAmount(configuration.requestTimeout))
        )
        httpConfiguration.httpVersion = .http1Only
        self.configuration = configuration
        self.http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: httpConfiguration, backgroundActivityLogger: logger)
        self.logger = logger
        self.session = EtcdSession(endpointCount: configuration.endpoints.count)
    }

    /// A client for `location`'s members, with TLS, credentials and limits from `base`.
    public convenience init(location: EtcdLocation, base: EtcdConfiguration? = nil, logger: Logger = EtcdClient.silentLogger) throws(EtcdError) {
        var configuration = base ?? EtcdConfiguration(endpoints: [])
        configuration.endpoints = location.endpoints
        try self.init(configuration: configuration, logger: logger)
    }

    /// Closes the connections. Call it once, when done.
    public func shutdown() async {
        // Only fails when already shut down, which is the state asked for.
        try? await http.shutdown()
    }

    /// The default: libraries take their caller's logger and make none of their own.
    public static let silentLogger = Logger(label: "etcd", factory: { _ in SwiftLogNoOpLogHandler() })

    private static func tlsConfiguration(_ tls: EtcdConfiguration.TLS) throws(EtcdError) -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        do {
            configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(tls.caFile))
        } catch {
            throw .tlsConfiguration(file: tls.caFile, reason: "\(error)")
        }
        if let file = tls.certificateFile {
            do {
                configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(file).map { .certificate($0) }
            } catch {
                throw .tlsConfiguration(file: file, reason: "\(error)")
            }
        }
        if let file = tls.keyFile {
            do {
                configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: file, format: .pem))
            } catch {
                throw .tlsConfiguration(file: file, reason: "\(error)")
            }
        }
        return configuration
    }
}
