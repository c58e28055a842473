extension RPC {
    /// HASH_FINALIZE (12): the digest; frees the handle.
    ///
    /// The reference answers an opaque of the *requested* length: the digest, then whatever
    /// was in its (zeroed) reply buffer (docs/wire-protocol.md §4.3). The decoder accepts up to
    /// `length` bytes, so a server that answers only the digest is understood too.
    public enum HashFinalize: RPCFunction {
        public static let number = FunctionNumber.hashFinalize
        public static let timeoutClass = RPCTimeout.short

        /// 29 for `4 + pad4(length)` beyond the reply space.
        public static func overflowsPacket(_ request: Request) -> Bool {
            !RPCLimits.fitsReplySpace(opaqueOf: request.length)
        }

        /// The HASH_FINALIZE arguments (docs/wire-protocol.md §4.2).
        public struct Request: Hashable, Sendable, XDRCodable {
            /// The running hash to finish, from HASH_INITIALIZE; the board frees it whatever the outcome.
            public var hash: HashHandle
            /// The digest length wanted; less than the algorithm's fails (and frees the handle).
            public var length: UInt32

            /// A request finishing `hash` into a digest of `length` bytes.
            public init(hash: HashHandle, length: UInt32) {
                self.hash = hash
                self.length = length
            }

            public func encode(to encoder: inout XDREncoder) {
                encoder.encode(hash)
                encoder.encode(length)
            }

            public init(from decoder: inout XDRDecoder) throws(XDRError) {
                hash = try decoder.decode()
                length = try decoder.decodeUInt32()
            }
        }

        /// The HASH_FINALIZE result: the digest as one opaque.
        public struct Reply: Hashable, Sendable, XDREncodable {
            /// The digest; the reference follows it with zeros up to the requested length
            /// (docs/wire-protocol.md §4.3), another server may send the digest alone.
            public var digest: [UInt8]

            /// A reply carrying `digest`.
            public init(digest: [UInt8]) { self.digest = digest }

            public func encode(to encoder: inout XDREncoder) { encoder.encodeOpaque(digest) }
        }

        public static func decodeReply(from decoder: inout XDRDecoder, for request: Request) throws(XDRError) -> Reply {
            Reply(digest: try decoder.decodeOpaque(maximum: Int(request.length)))
        }
    }
}
