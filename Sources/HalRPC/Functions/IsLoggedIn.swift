extension RPC {
    /// IS_LOGGED_IN (6): status `HAL_OK` when the client handle is logged in as exactly
    /// `user`, `HAL_ERROR_FORBIDDEN` otherwise (WHEEL does not count as NORMAL).
    public enum IsLoggedIn: RPCFunction {
        public static let number = FunctionNumber.isLoggedIn
        public static let timeoutClass = RPCTimeout.short
        public typealias Reply = NoResults

        public struct Request: Hashable, Sendable, XDRCodable {
            public var user: User

            public init(user: User) { self.user = user }

            public func encode(to encoder: inout XDREncoder) { encoder.encode(user) }
            public init(from decoder: inout XDRDecoder) throws(XDRError) { user = try decoder.decode() }
        }
    }
}
