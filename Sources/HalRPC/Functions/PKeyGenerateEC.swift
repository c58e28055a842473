extension RPC {
    /// PKEY_GENERATE_EC (16): generates an EC key pair on a named curve.
    public enum PKeyGenerateEC: RPCFunction {
        public static let number = FunctionNumber.pkeyGenerateEC
        public static let timeoutClass = RPCTimeout.standard
        public typealias Reply = NewKey

        public struct Request: Hashable, Sendable, XDRCodable {
            public var session: SessionHandle
            public var curve: Curve
            public var flags: KeyFlags

            public init(session: SessionHandle, curve: Curve, flags: KeyFlags) {
                self.session = session
                self.curve = curve
                self.flags = flags
            }

            public func encode(to encoder: inout XDREncoder) {
                encoder.encode(session)
                encoder.encode(curve)
                encoder.encode(flags)
            }

            public init(from decoder: inout XDRDecoder) throws(XDRError) {
                session = try decoder.decode()
                curve = try decoder.decode()
                flags = try decoder.decode()
            }
        }
    }
}
