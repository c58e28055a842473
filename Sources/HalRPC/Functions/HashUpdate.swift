extension RPC {
    /// HASH_UPDATE (11): feeds bytes to a running hash; empty data is a no-op.
    public enum HashUpdate: RPCFunction {
        public static let number = FunctionNumber.hashUpdate
        public static let timeoutClass = RPCTimeout.short
        public typealias Reply = NoResults

        /// The most data bytes one request can carry: the 16 KiB message less the header,
        /// the handle and the opaque's length word.
        public static let maximumChunk = RPCLimits.maximumMessage - RequestHeader.size - 8

        public struct Request: Hashable, Sendable, XDRCodable {
            public var hash: HashHandle
            public var data: [UInt8]

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
