extension RPC {
    /// PKEY_OPEN (14): opens a key by name; needs a NORMAL or WHEEL login.
    public enum PKeyOpen: RPCFunction {
        public static let number = FunctionNumber.pkeyOpen
        public static let timeoutClass = RPCTimeout.standard

        public struct Request: Hashable, Sendable, XDRCodable {
            public var session: SessionHandle
            public var name: KeyName

            public init(session: SessionHandle, name: KeyName) {
                self.session = session
                self.name = name
            }

            public func encode(to encoder: inout XDREncoder) {
                encoder.encode(session)
                encoder.encode(name)
            }

            public init(from decoder: inout XDRDecoder) throws(XDRError) {
                session = try decoder.decode()
                name = try decoder.decode()
            }
        }

        public struct Reply: Hashable, Sendable, XDRCodable {
            public var pkey: PKeyHandle

            public init(pkey: PKeyHandle) { self.pkey = pkey }

            public func encode(to encoder: inout XDREncoder) { encoder.encode(pkey) }
            public init(from decoder: inout XDRDecoder) throws(XDRError) { pkey = try decoder.decode() }
        }
    }
}
