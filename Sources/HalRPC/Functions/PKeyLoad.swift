extension RPC {
    /// PKEY_LOAD (13): loads a DER key (PKCS#8 PrivateKeyInfo or SubjectPublicKeyInfo) under
    /// a fresh name (docs/wire-protocol.md §4.3).
    public enum PKeyLoad: RPCFunction {
        public static let number = FunctionNumber.pkeyLoad
        public static let timeoutClass = RPCTimeout.standard
        public typealias Reply = NewKey

        /// The PKEY_LOAD arguments (docs/wire-protocol.md §4.2).
        public struct Request: Hashable, Sendable, XDRCodable {
            /// The caller's session word, stored with the key and never checked by the reference.
            public var session: SessionHandle
            /// The key as DER: a PKCS#8 PrivateKeyInfo, or a SubjectPublicKeyInfo for a public key only.
            public var der: [UInt8]
            /// The loaded key's flags: usage, and ``KeyFlags/token`` to keep it in flash.
            public var flags: KeyFlags

            /// A request loading `der` with `flags`.
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
