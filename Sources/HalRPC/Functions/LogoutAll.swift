extension RPC {
    /// LOGOUT_ALL (5): logs out every client of the board. Needs no login on the reference.
    public enum LogoutAll: RPCFunction {
        public static let number = FunctionNumber.logoutAll
        public static let timeoutClass = RPCTimeout.short
        public typealias Request = NoArguments
        public typealias Reply = NoResults
    }
}
