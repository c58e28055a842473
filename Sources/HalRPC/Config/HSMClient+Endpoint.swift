import Logging

nonisolated extension HSMClient {
    /// A client for `endpoint`; on a direct serial link it also checks the client word of
    /// each reply and probes for lost replies (the board there serves one request at a time,
    /// in order; docs/waits.md).
    /// - Parameters:
    ///   - endpoint: where the board is.
    ///   - client: the client word of every request.
    ///   - timeout: every call's deadline instead of the derived one (`--timeout`).
    ///   - observer: hears of every wait for a reply.
    ///   - logger: where to log.
    public init(
        endpoint: HSMEndpoint, client: ClientHandle = .zero, timeout: Duration? = nil,
        observer: (@Sendable (WaitEvent) -> Void)? = nil, logger: Logger = HSMClient.silentLogger
    ) {
        self.init(connector: endpoint.connector(), client: client, checksReplyClient: endpoint.echoesClientWord,
                  probesLostReplies: endpoint.echoesClientWord, timeout: timeout, observer: observer, logger: logger)
    }
}
