extension RPC {
    /// GET_VERSION (0): the firmware's RPC version, ``RPCLimits/version`` on the reference.
    public enum GetVersion: RPCFunction {
        public static let number = FunctionNumber.getVersion
        public static let timeoutClass = RPCTimeout.short
        public typealias Request = NoArguments

        public struct Reply: Hashable, Sendable, XDRCodable {
            public var version: UInt32

            public init(version: UInt32) { self.version = version }

            public func encode(to encoder: inout XDREncoder) { encoder.encode(version) }
            public init(from decoder: inout XDRDecoder) throws(XDRError) { version = try decoder.decodeUInt32() }
        }
    }
}
