extension RPC {
    /// HASH_GET_DIGEST_LEN (7): an algorithm's digest length in bytes.
    public enum HashGetDigestLength: RPCFunction {
        public static let number = FunctionNumber.hashGetDigestLength
        public static let timeoutClass = RPCTimeout.short

        /// The HASH_GET_DIGEST_LEN argument.
        public struct Request: Hashable, Sendable, XDRCodable {
            /// The digest algorithm asked about.
            public var algorithm: DigestAlgorithm

            /// A request for the digest length of `algorithm`.
            public init(algorithm: DigestAlgorithm) { self.algorithm = algorithm }

            public func encode(to encoder: inout XDREncoder) { encoder.encode(algorithm) }
            public init(from decoder: inout XDRDecoder) throws(XDRError) { algorithm = try decoder.decode() }
        }

        /// The HASH_GET_DIGEST_LEN result.
        public struct Reply: Hashable, Sendable, XDRCodable {
            /// The digest length in bytes (32 for SHA-256); the length HASH_FINALIZE should ask for.
            public var length: UInt32

            /// A reply carrying `length`.
            public init(length: UInt32) { self.length = length }

            public func encode(to encoder: inout XDREncoder) { encoder.encode(length) }
            public init(from decoder: inout XDRDecoder) throws(XDRError) { length = try decoder.decodeUInt32() }
        }
    }
}
