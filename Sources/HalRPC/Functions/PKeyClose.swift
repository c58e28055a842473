extension RPC {
    /// PKEY_CLOSE (17): releases a key handle; the key stays.
    public enum PKeyClose: RPCFunction {
        public static let number = FunctionNumber.pkeyClose
        public static let timeoutClass = RPCTimeout.short
        public typealias Request = PKeyArgument
        public typealias Reply = NoResults
    }
}
