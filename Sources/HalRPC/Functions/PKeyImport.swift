extension RPC {
    /// PKEY_IMPORT (30): unwraps a key exported by PKEY_EXPORT and loads it under a new name
    /// (docs/wire-protocol.md §9.3). For a hashsig share the board rebuilds the top tree: minutes.
    public enum PKeyImport: RPCFunction {
        public static let number = FunctionNumber.pkeyImport
        public static let timeoutClass = RPCTimeout.keyGeneration
        public typealias Reply = NewKey

        /// The PKEY_IMPORT arguments (docs/wire-protocol.md §4.2, §9.3).
        public struct Request: Hashable, Sendable, XDRCodable {
            /// The caller's session word, stored with the key and never checked by the reference.
            public var session: SessionHandle
            /// This board's RSA private key the KEK was encrypted to.
            public var kekek: PKeyHandle
            /// The wrapped key, as PKEY_EXPORT returned it.
            public var pkcs8: [UInt8]
            /// The wrapped KEK, as PKEY_EXPORT returned it.
            public var kek: [UInt8]
            /// The imported key's flags; a hashsig share needs ``KeyFlags/digitalSignature`` and
            /// ``KeyFlags/token``, as at generation (docs/wire-protocol.md §8.7).
            public var flags: KeyFlags

            /// A request importing the wrapped key `pkcs8`, whose KEK `kek` is encrypted to `kekek`.
            public init(session: SessionHandle, kekek: PKeyHandle, pkcs8: [UInt8], kek: [UInt8], flags: KeyFlags) {
                self.session = session
                self.kekek = kekek
                self.pkcs8 = pkcs8
                self.kek = kek
                self.flags = flags
            }

            public func encode(to encoder: inout XDREncoder) {
                encoder.encode(session)
                encoder.encode(kekek)
                encoder.encodeOpaque(pkcs8)
                encoder.encodeOpaque(kek)
                encoder.encode(flags)
            }

            public init(from decoder: inout XDRDecoder) throws(XDRError) {
                session = try decoder.decode()
                kekek = try decoder.decode()
                pkcs8 = try decoder.decodeOpaque()
                kek = try decoder.decodeOpaque()
                flags = try decoder.decode()
            }
        }
    }
}
