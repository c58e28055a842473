extension RPC {
    /// GET_VERSION (0): the firmware's RPC version, ``RPCLimits/version`` on the reference.
    public enum GetVersion: RPCFunction {
        public static let number = FunctionNumber.getVersion
        public static let timeoutClass = RPCTimeout.short
        public typealias Request = NoArguments

        /// The GET_VERSION result: one `u32` version word.
        public struct Reply: Hashable, Sendable, XDRCodable {
            /// The RPC version the firmware speaks: `0x01010100` from every reference firmware
            /// (docs/wire-protocol.md §4.2).
            public var version: UInt32

            /// A reply carrying `version`.
            public init(version: UInt32) { self.version = version }

            public func encode(to encoder: inout XDREncoder) { encoder.encode(version) }
            public init(from decoder: inout XDRDecoder) throws(XDRError) { version = try decoder.decodeUInt32() }
        }
    }
}
