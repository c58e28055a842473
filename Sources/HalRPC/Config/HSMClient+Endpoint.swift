import Logging

nonisolated extension HSMClient {
    /// A client for `endpoint`; on a direct serial link it also checks the client word of
    /// each reply.
    /// - Parameters:
    ///   - endpoint: where the board is.
    ///   - client: the client word of every request.
    ///   - logger: where to log.
    public init(endpoint: HSMEndpoint, client: ClientHandle = .zero, logger: Logger = HSMClient.silentLogger) {
        self.init(connector: endpoint.connector(), client: client, checksReplyClient: endpoint.echoesClientWord, logger: logger)
    }
}
