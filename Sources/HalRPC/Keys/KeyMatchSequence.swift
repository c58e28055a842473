/// The names of the keys that match a filter, fetched a page at a time with PKEY_MATCH
/// (docs/wire-protocol.md §4.3): token keystore first, then volatile, each in name order.
public struct KeyMatchSequence: AsyncSequence, Sendable {
    /// Each element is a key's name, to open with PKEY_OPEN.
    public typealias Element = KeyName

    let client: HSMClient
    /// The first page's request; later pages change `state` and `previous`.
    let firstPage: RPC.PKeyMatch.Request

    /// An iterator that starts the search afresh with the first page.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(client: client, request: firstPage)
    }

    /// Pages through PKEY_MATCH replies, one request per page, as names are asked for.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let client: HSMClient
        var request: RPC.PKeyMatch.Request
        var page: [KeyName] = []
        var index = 0
        var finished = false

        init(client: HSMClient, request: RPC.PKeyMatch.Request) {
            self.client = client
            self.request = request
        }

        /// The next name, fetching the next page when this one is used up.
        /// - Throws: ``HSMClientError``; `.unexpectedReply` when a page does not move the
        ///   search forward (which would otherwise loop for ever).
        public mutating func next() async throws -> KeyName? {
            while index == page.count {
                if finished { return nil }
                let reply = try await client.pkeyMatch(request)
                if request.state != .start, reply.state == request.state,
                   let first = reply.names.first, first <= request.previous {
                    throw HSMClientError.unexpectedReply(function: .pkeyMatch, reason: "page does not continue after \(request.previous)")
                }
                page = reply.names
                index = 0
                // The Python client's rule: go on while pages come back full.
                finished = reply.state == .done || reply.names.count < Int(request.resultMaximum)
                request.state = reply.state
                if let last = reply.names.last { request.previous = last }
            }
            defer { index += 1 }
            return page[index]
        }
    }
}
