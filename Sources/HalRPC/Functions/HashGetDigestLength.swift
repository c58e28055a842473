extension RPC {
    /// HASH_GET_DIGEST_LEN (7): an algorithm's digest length in bytes.
    public enum HashGetDigestLength: RPCFunction {
        public static let number = FunctionNumber.hashGetDigestLength
        public static let timeoutClass = RPCTimeout.short

        public struct Request: Hashable, Sendable, XDRCodable {
            public var algorithm: DigestAlgorithm

            public init(algorithm: DigestAlgorithm) { self.algorithm = algorithm }

            public func encode(to encoder: inout XDREncoder) { encoder.encode(algorithm) }
            public init(from decoder: inout XDRDecoder) throws(XDRError) { algorithm = try decoder.decode() }
        }

        public struct Reply: Hashable, Sendable, XDRCodable {
            public var length: UInt32

            public init(length: UInt32) { self.length = length }

            public func encode(to encoder: inout XDREncoder) { encoder.encode(length) }
            public init(from decoder: inout XDRDecoder) throws(XDRError) { length = try decoder.decodeUInt32() }
        }
    }
}
