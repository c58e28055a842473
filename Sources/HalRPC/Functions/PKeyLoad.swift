extension RPC {
    /// PKEY_LOAD (13): loads a DER key (PKCS#8 PrivateKeyInfo or SubjectPublicKeyInfo) under
    /// a fresh name (rpc-wire.md §4.3).
    public enum PKeyLoad: RPCFunction {
        public static let number = FunctionNumber.pkeyLoad
        public static let timeoutClass = RPCTimeout.standard
        public typealias Reply = NewKey

        public struct Request: Hashable, Sendable, XDRCodable {
            public var session: SessionHandle
            public var der: [UInt8]
            public var flags: KeyFlags

            public init(session: SessionHandle, der: [UInt8], flags: KeyFlags) {
                self.session = session
                self.der = der
                self.flags = flags
            }

            public func encode(to encoder: inout XDREncoder) {
                encoder.encode(session)
                encoder.encodeOpaque(der)
                encoder.encode(flags)
            }

            public init(from decoder: inout XDRDecoder) throws(XDRError) {
                session = try decoder.decode()
                der = try decoder.decodeOpaque()
                flags = try decoder.decode()
            }
        }
    }
}
