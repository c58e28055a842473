extension RPC {
    /// CHECK_TAMPER (66, DKS): status `HAL_OK`, or `HAL_ERROR_TAMPER` after a tamper event.
    /// Firmware without it answers `HAL_ERROR_RPC_BAD_FUNCTION`.
    public enum CheckTamper: RPCFunction {
        public static let number = FunctionNumber.checkTamper
        public static let timeoutClass = RPCTimeout.short
        public typealias Request = NoArguments
        public typealias Reply = NoResults
    }
}
