extension RPC {
    /// PKEY_GENERATE_EC (16): generates an EC key pair on a named curve.
    public enum PKeyGenerateEC: RPCFunction {
        public static let number = FunctionNumber.pkeyGenerateEC
        public static let timeoutClass = RPCTimeout.standard
        public typealias Reply = NewKey

        /// The PKEY_GENERATE_EC arguments (docs/wire-protocol.md §4.2).
        public struct Request: Hashable, Sendable, XDRCodable {
            /// The caller's session word, stored with the key and never checked by the reference.
            public var session: SessionHandle
            /// The curve of the new key (P-256, P-384 or P-521).
            public var curve: Curve
            /// The new key's flags: usage, and ``KeyFlags/token`` to keep it in flash rather than in
            /// the client's volatile keystore.
            public var flags: KeyFlags

            /// A request for a new key on `curve` with `flags`.
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
