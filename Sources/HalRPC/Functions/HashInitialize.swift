extension RPC {
    /// HASH_INITIALIZE (10): starts a hash, or an HMAC when `key` is not empty
    /// (docs/wire-protocol.md §7).
    public enum HashInitialize: RPCFunction {
        public static let number = FunctionNumber.hashInitialize
        public static let timeoutClass = RPCTimeout.short

        /// The HASH_INITIALIZE arguments (docs/wire-protocol.md §4.2, §7).
        public struct Request: Hashable, Sendable, XDRCodable {
            /// The caller's session word, stored with the hash and never checked by the reference
            /// (docs/wire-protocol.md §3.1).
            public var session: SessionHandle
            /// The digest algorithm to run.
            public var algorithm: DigestAlgorithm
            /// The HMAC key; empty for a plain hash.
            public var key: [UInt8]

            /// A request starting a hash of `algorithm` (an HMAC when `key` is not empty).
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

        /// The HASH_INITIALIZE result.
        public struct Reply: Hashable, Sendable, XDRCodable {
            /// The board's handle for the new hash: pass it to HASH_UPDATE and HASH_FINALIZE, or to
            /// PKEY_SIGN and PKEY_VERIFY, which consume it.
            public var hash: HashHandle

            /// A reply carrying `hash`.
            public init(hash: HashHandle) { self.hash = hash }

            public func encode(to encoder: inout XDREncoder) { encoder.encode(hash) }
            public init(from decoder: inout XDRDecoder) throws(XDRError) { hash = try decoder.decode() }
        }
    }
}
