extension RPC {
    /// PKEY_VERIFY (24): checks a signature over `input` or a hash handle's digest (which it
    /// consumes). Status `HAL_OK` means valid, `HAL_ERROR_INVALID_SIGNATURE` invalid.
    public enum PKeyVerify: RPCFunction {
        public static let number = FunctionNumber.pkeyVerify
        public static let timeoutClass = RPCTimeout.standard
        public typealias Reply = NoResults

        /// The PKEY_VERIFY arguments (docs/wire-protocol.md §4.2).
        public struct Request: Hashable, Sendable, XDRCodable {
            /// The client's handle for the verifying key; it needs ``KeyFlags/digitalSignature``.
            public var pkey: PKeyHandle
            /// A hash to finalize and check, or ``HashHandle/noHandle`` when `input` is given.
            public var hash: HashHandle
            /// What was signed, as for PKEY_SIGN (the form depends on the key type); empty when `hash`
            /// is given.
            public var input: [UInt8]
            /// The signature to check, in the key type's format (for hashsig, an RFC 8554 HSS signature).
            public var signature: [UInt8]

            /// A request checking `signature` with `pkey` over `input` or the digest of `hash`.
            public init(pkey: PKeyHandle, hash: HashHandle, input: [UInt8], signature: [UInt8]) {
                self.pkey = pkey
                self.hash = hash
                self.input = input
                self.signature = signature
            }

            public func encode(to encoder: inout XDREncoder) {
                encoder.encode(pkey)
                encoder.encode(hash)
                encoder.encodeOpaque(input)
                encoder.encodeOpaque(signature)
            }

            public init(from decoder: inout XDRDecoder) throws(XDRError) {
                pkey = try decoder.decode()
                hash = try decoder.decode()
                input = try decoder.decodeOpaque()
                signature = try decoder.decodeOpaque()
            }
        }
    }
}
