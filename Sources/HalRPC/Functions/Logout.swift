extension RPC {
    /// LOGOUT (4): ends the client handle's login and deletes its volatile keys (unless the
    /// handle is 0). Does nothing for a handle that is not logged in (docs/wire-protocol.md §6).
    public enum Logout: RPCFunction {
        public static let number = FunctionNumber.logout
        public static let timeoutClass = RPCTimeout.short
        public typealias Request = NoArguments
        public typealias Reply = NoResults
    }
}
