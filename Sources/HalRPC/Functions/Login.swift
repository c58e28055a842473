extension RPC {
    /// LOGIN (3): logs the request's client handle in as `user`, replacing any earlier login
    /// of that handle. A wrong PIN is answered after 5 s (docs/wire-protocol.md §6).
    public enum Login: RPCFunction {
        public static let number = FunctionNumber.login
        public static let timeoutClass = RPCTimeout.standard
        public typealias Request = SetPIN.Request
        public typealias Reply = NoResults
    }
}
