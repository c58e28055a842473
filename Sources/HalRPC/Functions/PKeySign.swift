extension RPC {
    /// PKEY_SIGN (23): signs `input`, or the digest of a hash handle (which it consumes).
    ///
    /// Exactly one of the two must be given. What `input` means depends on the key type
    /// (docs/wire-protocol.md §4.3): RSA, a DER DigestInfo; EC, the digest; hashsig, the message
    /// itself. A hashsig signature consumes a one-time key: never re-send one that timed out.
    public enum PKeySign: RPCFunction {
        public static let number = FunctionNumber.pkeySign
        public static let timeoutClass = RPCTimeout.long

        /// 29 for `4 + pad4(sig_max)` beyond the reply space.
        public static func overflowsPacket(_ request: Request) -> Bool {
            !RPCLimits.fitsReplySpace(opaqueOf: request.signatureMaximum)
        }

        /// The PKEY_SIGN arguments (docs/wire-protocol.md §4.2).
        public struct Request: Hashable, Sendable, XDRCodable {
            /// The client's handle for the signing key; it needs ``KeyFlags/digitalSignature``.
            public var pkey: PKeyHandle
            /// A hash to finalize and sign, or ``HashHandle/noHandle`` when `input` is given.
            public var hash: HashHandle
            /// What to sign (see ``PKeySign``); empty when `hash` is given.
            public var input: [UInt8]
            /// The most signature bytes wanted (`sig_max`).
            public var signatureMaximum: UInt32

            /// A request signing `input` or the digest of `hash` with `pkey`, answering at most
            /// `signatureMaximum` bytes.
            public init(pkey: PKeyHandle, hash: HashHandle, input: [UInt8], signatureMaximum: UInt32) {
                self.pkey = pkey
                self.hash = hash
                self.input = input
                self.signatureMaximum = signatureMaximum
            }

            public func encode(to encoder: inout XDREncoder) {
                encoder.encode(pkey)
                encoder.encode(hash)
                encoder.encodeOpaque(input)
                encoder.encode(signatureMaximum)
            }

            public init(from decoder: inout XDRDecoder) throws(XDRError) {
                pkey = try decoder.decode()
                hash = try decoder.decode()
                input = try decoder.decodeOpaque()
                signatureMaximum = try decoder.decodeUInt32()
            }
        }

        /// The PKEY_SIGN result.
        public struct Reply: Hashable, Sendable, XDREncodable {
            /// The signature, no longer than the request's `signatureMaximum`: r ‖ s for EC, PKCS#1 v1.5
            /// for RSA, an RFC 8554 HSS signature for hashsig.
            public var signature: [UInt8]

            /// A reply carrying `signature`.
            public init(signature: [UInt8]) { self.signature = signature }

            public func encode(to encoder: inout XDREncoder) { encoder.encodeOpaque(signature) }
        }

        public static func decodeReply(from decoder: inout XDRDecoder, for request: Request) throws(XDRError) -> Reply {
            Reply(signature: try decoder.decodeOpaque(maximum: Int(request.signatureMaximum)))
        }
    }
}
