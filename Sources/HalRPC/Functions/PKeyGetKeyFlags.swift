extension RPC {
    /// PKEY_GET_KEY_FLAGS (20): the key's flags.
    public enum PKeyGetKeyFlags: RPCFunction {
        public static let number = FunctionNumber.pkeyGetKeyFlags
        public static let timeoutClass = RPCTimeout.short
        public typealias Request = PKeyArgument

        public struct Reply: Hashable, Sendable, XDRCodable {
            public var flags: KeyFlags

            public init(flags: KeyFlags) { self.flags = flags }

            public func encode(to encoder: inout XDREncoder) { encoder.encode(flags) }
            public init(from decoder: inout XDRDecoder) throws(XDRError) { flags = try decoder.decode() }
        }
    }
}
