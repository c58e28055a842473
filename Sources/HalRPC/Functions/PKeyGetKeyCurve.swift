extension RPC {
    /// PKEY_GET_KEY_CURVE (26): the key's curve (``Curve/none`` for non-EC keys).
    public enum PKeyGetKeyCurve: RPCFunction {
        public static let number = FunctionNumber.pkeyGetKeyCurve
        public static let timeoutClass = RPCTimeout.short
        public typealias Request = PKeyArgument

        /// The PKEY_GET_KEY_CURVE result.
        public struct Reply: Hashable, Sendable, XDRCodable {
            /// The key's curve; ``Curve/none`` for RSA and hashsig keys.
            public var curve: Curve

            /// A reply carrying `curve`.
            public init(curve: Curve) { self.curve = curve }

            public func encode(to encoder: inout XDREncoder) { encoder.encode(curve) }
            public init(from decoder: inout XDRDecoder) throws(XDRError) { curve = try decoder.decode() }
        }
    }
}
