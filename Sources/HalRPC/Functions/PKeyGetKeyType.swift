extension RPC {
    /// PKEY_GET_KEY_TYPE (19): the key's type.
    public enum PKeyGetKeyType: RPCFunction {
        public static let number = FunctionNumber.pkeyGetKeyType
        public static let timeoutClass = RPCTimeout.short
        public typealias Request = PKeyArgument

        /// The PKEY_GET_KEY_TYPE result.
        public struct Reply: Hashable, Sendable, XDRCodable {
            /// The key's type, private or public half of RSA, EC or hashsig.
            public var type: KeyType

            /// A reply carrying `type`.
            public init(type: KeyType) { self.type = type }

            public func encode(to encoder: inout XDREncoder) { encoder.encode(type) }
            public init(from decoder: inout XDRDecoder) throws(XDRError) { type = try decoder.decode() }
        }
    }
}
