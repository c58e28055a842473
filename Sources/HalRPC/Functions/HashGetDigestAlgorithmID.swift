extension RPC {
    /// HASH_GET_DIGEST_ALGORITHM_ID (8): an algorithm's DER AlgorithmIdentifier
    /// (docs/wire-protocol.md §7), or only its length when `maximumLength` is 0.
    public enum HashGetDigestAlgorithmID: RPCFunction {
        public static let number = FunctionNumber.hashGetDigestAlgorithmID
        public static let timeoutClass = RPCTimeout.short

        /// 29 for `4 + pad4(len_max)` beyond the reply space.
        public static func overflowsPacket(_ request: Request) -> Bool {
            !RPCLimits.fitsReplySpace(opaqueOf: request.maximumLength)
        }

        /// The HASH_GET_DIGEST_ALGORITHM_ID arguments (docs/wire-protocol.md §4.2).
        public struct Request: Hashable, Sendable, XDRCodable {
            /// The digest algorithm whose AlgorithmIdentifier is wanted.
            public var algorithm: DigestAlgorithm
            /// The most DER bytes wanted (`len_max`); 0 asks for the length only.
            public var maximumLength: UInt32

            /// A request for the AlgorithmIdentifier of `algorithm`, at most `maximumLength` bytes
            /// (0: its length only).
            public init(algorithm: DigestAlgorithm, maximumLength: UInt32) {
                self.algorithm = algorithm
                self.maximumLength = maximumLength
            }

            public func encode(to encoder: inout XDREncoder) {
                encoder.encode(algorithm)
                encoder.encode(maximumLength)
            }

            public init(from decoder: inout XDRDecoder) throws(XDRError) {
                algorithm = try decoder.decode()
                maximumLength = try decoder.decodeUInt32()
            }
        }

        /// The HASH_GET_DIGEST_ALGORITHM_ID result, whose layout depends on the request's
        /// `maximumLength`.
        public enum Reply: Hashable, Sendable, XDREncodable {
            /// The answer to a length query: a bare `u32`, not an opaque (docs/wire-protocol.md §4.3).
            case length(UInt32)
            /// The DER AlgorithmIdentifier.
            case der([UInt8])

            public func encode(to encoder: inout XDREncoder) {
                switch self {
                case .length(let length): encoder.encode(length)
                case .der(let der): encoder.encodeOpaque(der)
                }
            }
        }

        public static func decodeReply(from decoder: inout XDRDecoder, for request: Request) throws(XDRError) -> Reply {
            if request.maximumLength == 0 { return .length(try decoder.decodeUInt32()) }
            return .der(try decoder.decodeOpaque(maximum: Int(request.maximumLength)))
        }
    }
}
