extension RPC {
    /// PKEY_GET_PUBLIC_KEY (22): the key's SubjectPublicKeyInfo DER. There is no length
    /// query here (`maximumLength` 0 fails); ask PKEY_GET_PUBLIC_KEY_LEN first.
    public enum PKeyGetPublicKey: RPCFunction {
        public static let number = FunctionNumber.pkeyGetPublicKey
        public static let timeoutClass = RPCTimeout.short

        /// 29 for `4 + pad4(der_max)` beyond the reply space.
        public static func overflowsPacket(_ request: Request) -> Bool {
            !RPCLimits.fitsReplySpace(opaqueOf: request.maximumLength)
        }

        /// The PKEY_GET_PUBLIC_KEY arguments (docs/wire-protocol.md §4.2).
        public struct Request: Hashable, Sendable, XDRCodable {
            /// The client's handle for the key whose public half is wanted.
            public var pkey: PKeyHandle
            /// The most DER bytes wanted (`der_max`).
            public var maximumLength: UInt32

            /// A request for the public key of `pkey`, at most `maximumLength` bytes.
            public init(pkey: PKeyHandle, maximumLength: UInt32) {
                self.pkey = pkey
                self.maximumLength = maximumLength
            }

            public func encode(to encoder: inout XDREncoder) {
                encoder.encode(pkey)
                encoder.encode(maximumLength)
            }

            public init(from decoder: inout XDRDecoder) throws(XDRError) {
                pkey = try decoder.decode()
                maximumLength = try decoder.decodeUInt32()
            }
        }

        /// The PKEY_GET_PUBLIC_KEY result.
        public struct Reply: Hashable, Sendable, XDREncodable {
            /// The public key as a DER SubjectPublicKeyInfo (for hashsig, the layout of
            /// docs/wire-protocol.md §8.2 inside it).
            public var der: [UInt8]

            /// A reply carrying `der`.
            public init(der: [UInt8]) { self.der = der }

            public func encode(to encoder: inout XDREncoder) { encoder.encodeOpaque(der) }
        }

        public static func decodeReply(from decoder: inout XDRDecoder, for request: Request) throws(XDRError) -> Reply {
            Reply(der: try decoder.decodeOpaque(maximum: Int(request.maximumLength)))
        }

        /// The board answers a SubjectPublicKeyInfo it built itself (for a hashsig key, the
        /// §8.2 layout inside it); DER that does not parse as one was damaged on the way.
        public static func impossibility(of reply: Reply, for request: Request) -> String? {
            do {
                let info = try DER.SubjectPublicKeyInfo(der: reply.der)
                if info.algorithm.algorithm == .mtsHashSig { _ = try HashSigPublicKeyInfo(der: reply.der) }
                return nil
            } catch {
                return "the public key is no SubjectPublicKeyInfo (\(error))"
            }
        }
    }
}
