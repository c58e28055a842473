nonisolated extension HSMClient {
    /// `hal_rpc_pkey_match`: one page of matching key names. ``matchKeys(type:curve:mask:flags:attributes:pageSize:session:)``
    /// pages through all of them.
    /// - Parameters:
    ///   - request: the filter, state, page size and lower bound.
    ///   - timeout: overrides ``RPCTimeout/short``.
    /// - Throws: ``HSMClientError``.
    public func pkeyMatch(_ request: RPC.PKeyMatch.Request, timeout: Duration? = nil) async throws -> RPC.PKeyMatch.Reply {
        try await perform(RPC.PKeyMatch.self, request, timeout: timeout)
    }

    /// `hal_rpc_pkey_set_attributes`: sets and deletes attributes.
    /// - Throws: ``HSMClientError``.
    public func pkeySetAttributes(_ pkey: PKeyHandle, _ updates: [AttributeUpdate], timeout: Duration? = nil) async throws {
        _ = try await perform(RPC.PKeySetAttributes.self, .init(pkey: pkey, updates: updates), timeout: timeout)
    }

    /// `hal_rpc_pkey_get_attributes`: one phase of the attribute query (``PKey/attributes(_:)``
    /// does both). A reply that does not list exactly the requested types, in order, is
    /// damaged (``RPC/PKeyGetAttributes/impossibility(of:for:)``) and asked again.
    /// - Parameters:
    ///   - pkey: the key handle.
    ///   - types: the attribute types.
    ///   - bufferLength: 0 for the lengths; else room for all values together.
    ///   - timeout: overrides ``RPCTimeout/short``.
    /// - Throws: ``HSMClientError``.
    public func pkeyGetAttributes(
        _ pkey: PKeyHandle, types: [AttributeType], bufferLength: Int, timeout: Duration? = nil
    ) async throws -> RPC.PKeyGetAttributes.Reply {
        let request = RPC.PKeyGetAttributes.Request(
            pkey: pkey, types: types, bufferLength: try Self.wireLength(bufferLength, "attribute buffer length"))
        return try await perform(RPC.PKeyGetAttributes.self, request, timeout: timeout)
    }
}
