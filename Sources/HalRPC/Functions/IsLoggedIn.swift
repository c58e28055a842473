extension RPC {
    /// IS_LOGGED_IN (6): status `HAL_OK` when the client handle is logged in as exactly
    /// `user`, `HAL_ERROR_FORBIDDEN` otherwise (WHEEL does not count as NORMAL).
    public enum IsLoggedIn: RPCFunction {
        public static let number = FunctionNumber.isLoggedIn
        public static let timeoutClass = RPCTimeout.short
        public typealias Reply = NoResults

        /// The IS_LOGGED_IN argument: the user to test the request's client handle against.
        public struct Request: Hashable, Sendable, XDRCodable {
            /// The login asked about; only an exact match answers `HAL_OK`.
            public var user: User

            /// A request asking whether the client handle is logged in as `user`.
            public init(user: User) { self.user = user }

            public func encode(to encoder: inout XDREncoder) { encoder.encode(user) }
            public init(from decoder: inout XDRDecoder) throws(XDRError) { user = try decoder.decode() }
        }
    }
}
