extension RPC {
    /// PKEY_OPEN (14): opens a key by name; needs a NORMAL or WHEEL login.
    public enum PKeyOpen: RPCFunction {
        public static let number = FunctionNumber.pkeyOpen
        public static let timeoutClass = RPCTimeout.standard

        /// The PKEY_OPEN arguments (docs/wire-protocol.md §4.2).
        public struct Request: Hashable, Sendable, XDRCodable {
            /// The caller's session word, stored with the handle and never checked by the reference.
            public var session: SessionHandle
            /// The key's name, as PKEY_LOAD, a PKEY_GENERATE_* call or PKEY_MATCH returned it.
            public var name: KeyName

            /// A request opening the key `name`.
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

        /// The PKEY_OPEN result.
        public struct Reply: Hashable, Sendable, XDRCodable {
            /// The board's handle for the opened key, valid for this client until PKEY_CLOSE or
            /// PKEY_DELETE; the board has a fixed number of handle slots, so close what you open.
            public var pkey: PKeyHandle

            /// A reply carrying `pkey`.
            public init(pkey: PKeyHandle) { self.pkey = pkey }

            public func encode(to encoder: inout XDREncoder) { encoder.encode(pkey) }
            public init(from decoder: inout XDRDecoder) throws(XDRError) { pkey = try decoder.decode() }
        }
    }
}
