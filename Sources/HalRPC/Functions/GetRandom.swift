extension RPC {
    /// GET_RANDOM (1): bytes from the board's TRNG.
    public enum GetRandom: RPCFunction {
        public static let number = FunctionNumber.getRandom
        public static let timeoutClass = RPCTimeout.short

        /// 29 for `4 + pad4(count)` beyond the reply space.
        public static func overflowsPacket(_ request: Request) -> Bool {
            !RPCLimits.fitsReplySpace(opaqueOf: request.count)
        }

        /// The most bytes one call may ask for: `4 + pad4(count)` must fit the reply space,
        /// else `HAL_ERROR_RPC_PACKET_OVERFLOW` (docs/wire-protocol.md §4.3).
        public static let maximumCount = RPCLimits.maximumResultOpaque

        /// The GET_RANDOM arguments (docs/wire-protocol.md §4.2).
        public struct Request: Hashable, Sendable, XDRCodable {
            /// How many random bytes to return; at most ``maximumCount``, and 0 is answered with an
            /// empty opaque.
            public var count: UInt32

            /// A request for `count` random bytes.
            public init(count: UInt32) { self.count = count }

            public func encode(to encoder: inout XDREncoder) { encoder.encode(count) }
            public init(from decoder: inout XDRDecoder) throws(XDRError) { count = try decoder.decodeUInt32() }
        }

        /// The GET_RANDOM results: the random bytes as one opaque.
        public struct Reply: Hashable, Sendable, XDREncodable {
            /// Exactly the requested count of bytes from the board's TRNG.
            public var bytes: [UInt8]

            /// A reply carrying `bytes`.
            public init(bytes: [UInt8]) { self.bytes = bytes }

            public func encode(to encoder: inout XDREncoder) { encoder.encodeOpaque(bytes) }
        }

        /// The board answers exactly `count` bytes; fewer would leave the caller short of
        /// the randomness it asked for.
        public static func decodeReply(from decoder: inout XDRDecoder, for request: Request) throws(XDRError) -> Reply {
            Reply(bytes: try decoder.decodeOpaque(exactly: Int(request.count)))
        }
    }
}
