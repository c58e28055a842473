extension RPC {
    /// PKEY_GENERATE_RSA (15): generates an RSA key pair on the board (minutes for 4096 bits).
    public enum PKeyGenerateRSA: RPCFunction {
        public static let number = FunctionNumber.pkeyGenerateRSA
        public static let timeoutClass = RPCTimeout.keyGeneration
        public typealias Reply = NewKey

        /// The public exponent the Python client uses by default, 65537.
        public static let defaultPublicExponent: [UInt8] = [0x01, 0x00, 0x01]

        /// The PKEY_GENERATE_RSA arguments (docs/wire-protocol.md §4.2).
        public struct Request: Hashable, Sendable, XDRCodable {
            /// The caller's session word, stored with the key and never checked by the reference.
            public var session: SessionHandle
            /// The modulus length in **bits**, a multiple of 8.
            public var keyLength: UInt32
            /// The public exponent, big-endian bytes.
            public var publicExponent: [UInt8]
            /// The new key's flags: usage, and ``KeyFlags/token`` to keep it in flash. A KEKEK for
            /// PKEY_EXPORT needs ``KeyFlags/keyEncipherment``.
            public var flags: KeyFlags

            /// A request for a `keyLength`-bit key with `publicExponent` and `flags`.
            public init(session: SessionHandle, keyLength: UInt32, publicExponent: [UInt8], flags: KeyFlags) {
                self.session = session
                self.keyLength = keyLength
                self.publicExponent = publicExponent
                self.flags = flags
            }

            public func encode(to encoder: inout XDREncoder) {
                encoder.encode(session)
                encoder.encode(keyLength)
                encoder.encodeOpaque(publicExponent)
                encoder.encode(flags)
            }

            public init(from decoder: inout XDRDecoder) throws(XDRError) {
                session = try decoder.decode()
                keyLength = try decoder.decodeUInt32()
                publicExponent = try decoder.decodeOpaque()
                flags = try decoder.decode()
            }
        }
    }
}
