extension RPC {
    /// HASH_GET_ALGORITHM (9): the algorithm of a running hash.
    public enum HashGetAlgorithm: RPCFunction {
        public static let number = FunctionNumber.hashGetAlgorithm
        public static let timeoutClass = RPCTimeout.short

        public struct Request: Hashable, Sendable, XDRCodable {
            public var hash: HashHandle

            public init(hash: HashHandle) { self.hash = hash }

            public func encode(to encoder: inout XDREncoder) { encoder.encode(hash) }
            public init(from decoder: inout XDRDecoder) throws(XDRError) { hash = try decoder.decode() }
        }

        public struct Reply: Hashable, Sendable, XDRCodable {
            public var algorithm: DigestAlgorithm

            public init(algorithm: DigestAlgorithm) { self.algorithm = algorithm }

            public func encode(to encoder: inout XDREncoder) { encoder.encode(algorithm) }
            public init(from decoder: inout XDRDecoder) throws(XDRError) { algorithm = try decoder.decode() }
        }
    }
}
