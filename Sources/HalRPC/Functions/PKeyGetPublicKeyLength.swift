extension RPC {
    /// PKEY_GET_PUBLIC_KEY_LEN (21): the length of the key's SubjectPublicKeyInfo DER.
    ///
    /// Always status `HAL_OK`: an unknown handle or any failure shows as length 0
    /// (docs/wire-protocol.md §3.1); 85 for every hashsig key (§8.2).
    public enum PKeyGetPublicKeyLength: RPCFunction {
        public static let number = FunctionNumber.pkeyGetPublicKeyLength
        public static let timeoutClass = RPCTimeout.short
        public typealias Request = PKeyArgument

        /// The PKEY_GET_PUBLIC_KEY_LEN result.
        public struct Reply: Hashable, Sendable, XDRCodable {
            /// The SubjectPublicKeyInfo's length in bytes, the `maximumLength` to give
            /// PKEY_GET_PUBLIC_KEY; 0 means the board could not tell (an unknown handle, say).
            public var length: UInt32

            /// A reply carrying `length`.
            public init(length: UInt32) { self.length = length }

            public func encode(to encoder: inout XDREncoder) { encoder.encode(length) }
            public init(from decoder: inout XDRDecoder) throws(XDRError) { length = try decoder.decodeUInt32() }
        }
    }
}
