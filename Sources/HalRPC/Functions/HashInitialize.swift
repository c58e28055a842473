extension RPC {
    /// HASH_INITIALIZE (10): starts a hash, or an HMAC when `key` is not empty
    /// (rpc-wire.md §7).
    public enum HashInitialize: RPCFunction {
        public static let number = FunctionNumber.hashInitialize
        public static let timeoutClass = RPCTimeout.short

        public struct Request: Hashable, Sendable, XDRCodable {
            public var session: SessionHandle
            public var algorithm: DigestAlgorithm
            /// The HMAC key; empty for a plain hash.
            public var key: [UInt8]

            public init(session: SessionHandle, algorithm: DigestAlgorithm, key: [UInt8]) {
                self.session = session
                self.algorithm = algorithm
                self.key = key
            }

            public func encode(to encoder: inout XDREncoder) {
                encoder.encode(session)
                encoder.encode(algorithm)
                encoder.encodeOpaque(key)
            }

            public init(from decoder: inout XDRDecoder) throws(XDRError) {
                session = try decoder.decode()
                algorithm = try decoder.decode()
                key = try decoder.decodeOpaque()
            }
        }

        public struct Reply: Hashable, Sendable, XDRCodable {
            public var hash: HashHandle

            public init(hash: HashHandle) { self.hash = hash }

            public func encode(to encoder: inout XDREncoder) { encoder.encode(hash) }
            public init(from decoder: inout XDRDecoder) throws(XDRError) { hash = try decoder.decode() }
        }
    }
}
