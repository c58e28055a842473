extension RPC {
    /// PKEY_DELETE (18): deletes the key (a hashsig key with its trees) and releases the
    /// handle.
    public enum PKeyDelete: RPCFunction {
        public static let number = FunctionNumber.pkeyDelete
        public static let timeoutClass = RPCTimeout.long
        public typealias Request = PKeyArgument
        public typealias Reply = NoResults
    }
}
