extension RPC {
    /// HASH_GET_ALGORITHM (9): the algorithm of a running hash.
    public enum HashGetAlgorithm: RPCFunction {
        public static let number = FunctionNumber.hashGetAlgorithm
        public static let timeoutClass = RPCTimeout.short

        /// The HASH_GET_ALGORITHM argument.
        public struct Request: Hashable, Sendable, XDRCodable {
            /// The running hash asked about, from HASH_INITIALIZE.
            public var hash: HashHandle

            /// A request asking for the algorithm of `hash`.
            public init(hash: HashHandle) { self.hash = hash }

            public func encode(to encoder: inout XDREncoder) { encoder.encode(hash) }
            public init(from decoder: inout XDRDecoder) throws(XDRError) { hash = try decoder.decode() }
        }

        /// The HASH_GET_ALGORITHM result.
        public struct Reply: Hashable, Sendable, XDRCodable {
            /// The digest algorithm the hash was started with.
            public var algorithm: DigestAlgorithm

            /// A reply carrying `algorithm`.
            public init(algorithm: DigestAlgorithm) { self.algorithm = algorithm }

            public func encode(to encoder: inout XDREncoder) { encoder.encode(algorithm) }
            public init(from decoder: inout XDRDecoder) throws(XDRError) { algorithm = try decoder.decode() }
        }
    }
}
