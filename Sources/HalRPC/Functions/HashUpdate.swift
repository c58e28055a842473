extension RPC {
    /// HASH_UPDATE (11): feeds bytes to a running hash; empty data is a no-op.
    public enum HashUpdate: RPCFunction {
        public static let number = FunctionNumber.hashUpdate
        public static let timeoutClass = RPCTimeout.short
        public typealias Reply = NoResults

        /// The most data bytes one request can carry: the 16 KiB message less the header,
        /// the handle and the opaque's length word.
        public static let maximumChunk = RPCLimits.maximumMessage - RequestHeader.size - 8

        /// The HASH_UPDATE arguments (docs/wire-protocol.md §4.2).
        public struct Request: Hashable, Sendable, XDRCodable {
            /// The running hash to feed, from HASH_INITIALIZE.
            public var hash: HashHandle
            /// The next bytes of the message; at most ``maximumChunk`` per request, so long messages
            /// take several.
            public var data: [UInt8]

            /// A request feeding `data` to `hash`.
            public init(hash: HashHandle, data: [UInt8]) {
                self.hash = hash
                self.data = data
            }

            public func encode(to encoder: inout XDREncoder) {
                encoder.encode(hash)
                encoder.encodeOpaque(data)
            }

            public init(from decoder: inout XDRDecoder) throws(XDRError) {
                hash = try decoder.decode()
                data = try decoder.decodeOpaque()
            }
        }
    }
}
