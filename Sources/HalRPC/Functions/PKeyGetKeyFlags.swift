extension RPC {
    /// PKEY_GET_KEY_FLAGS (20): the key's flags.
    public enum PKeyGetKeyFlags: RPCFunction {
        public static let number = FunctionNumber.pkeyGetKeyFlags
        public static let timeoutClass = RPCTimeout.short
        public typealias Request = PKeyArgument

        /// The PKEY_GET_KEY_FLAGS result.
        public struct Reply: Hashable, Sendable, XDRCodable {
            /// The key's flags as stored: its usage bits, ``KeyFlags/token`` for a flash key,
            /// ``KeyFlags/exportable`` for a key PKEY_EXPORT may wrap.
            public var flags: KeyFlags

            /// A reply carrying `flags`.
            public init(flags: KeyFlags) { self.flags = flags }

            public func encode(to encoder: inout XDREncoder) { encoder.encode(flags) }
            public init(from decoder: inout XDRDecoder) throws(XDRError) { flags = try decoder.decode() }
        }
    }
}
