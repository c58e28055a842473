import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Prometheus
import ServiceLifecycle

/// The optional scrape endpoint: `GET /metrics` answers the registry in Prometheus's text
/// format, on a ``LoopbackAddress`` only; every other path is 404 and every other method 405.
///
/// One request per connection (the reply says `Connection: close`): a scraper asks once per
/// interval, and a connection that cannot linger cannot hold the daemon's shutdown back. At
/// graceful shutdown the endpoint stops listening and drops open connections.
public struct MetricsHTTPEndpoint: Service {
    /// Prometheus's text exposition format.
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    private let address: LoopbackAddress
    private let registry: PrometheusCollectorRegistry
    private let logger: Logger
    private let onListening: @Sendable (SocketAddress) -> Void

    /// - Parameters:
    ///   - address: where to listen; loopback only, so nothing is exposed beyond the host.
    ///   - registry: the metrics to serve, as they stand at each request.
    ///   - logger: where the listening address is reported.
    ///   - onListening: told the bound address (with the port chosen for port 0) once the
    ///     endpoint accepts connections.
    public init(address: LoopbackAddress, registry: PrometheusCollectorRegistry, logger: Logger,
                onListening: @escaping @Sendable (SocketAddress) -> Void = { _ in }) {
        self.address = address
        self.registry = registry
        self.logger = logger
        self.onListening = onListening
    }

    /// - Throws: NIO's error when the address cannot be bound (a port in use).
    public func run() async throws {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: address.host, port: address.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(wrappingChannelSynchronously: channel)
                }
            }
        if let bound = server.channel.localAddress { onListening(bound) }
        logger.info("metrics endpoint listening", metadata: ["metrics.listen": "\(server.channel.localAddress.map { "\($0)" } ?? "\(address)")"])
        let registry = self.registry
        do {
            try await cancelWhenGracefulShutdown {
                try await withThrowingDiscardingTaskGroup { group in
                    try await server.executeThenClose { connections in
                        for try await connection in connections {
                            group.addTask { await Self.answer(connection, registry: registry) }
                        }
                    }
                }
            }
        } catch is CancellationError {
            // Graceful shutdown: stopping is the point.
        }
    }

    /// Reads one request head, answers it, closes. A broken connection is the client's loss.
    private static func answer(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>,
                               registry: PrometheusCollectorRegistry) async {
        try? await connection.executeThenClose { inbound, outbound in
            for try await part in inbound {
                guard case .head(let request) = part else { continue }
                let (status, body) = reply(to: request, registry: registry)
                var headers = HTTPHeaders()
                headers.add(name: "Content-Type", value: status == .ok ? contentType : "text/plain; charset=utf-8")
                headers.add(name: "Content-Length", value: "\(body.count)")
                headers.add(name: "Connection", value: "close")
                if status == .methodNotAllowed { headers.add(name: "Allow", value: "GET, HEAD") }
                try await outbound.write(.head(HTTPResponseHead(version: request.version, status: status, headers: headers)))
                if request.method != .HEAD { try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: body)))) }
                try await outbound.write(.end(nil))
                return
            }
        }
    }

    static func reply(to request: HTTPRequestHead, registry: PrometheusCollectorRegistry) -> (HTTPResponseStatus, [UInt8]) {
        let path = request.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? request.uri
        guard path == "/metrics" else { return (.notFound, Array("not found: try /metrics\n".utf8)) }
        guard request.method == .GET || request.method == .HEAD else { return (.methodNotAllowed, Array("GET or HEAD only\n".utf8)) }
        return (.ok, PrometheusTextFile.render(registry))
    }
}
