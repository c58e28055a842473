extension RPC {
    /// PKEY_EXPORT (29): the key wrapped for another board (docs/wire-protocol.md §9), with the
    /// share-export extension SX1 (design.md).
    ///
    /// SX1 adds a trailing `shareCount` to the request. Old firmware ignores trailing request
    /// bytes (docs/wire-protocol.md §2) and bisects a hashsig key's range as before; new firmware
    /// exports the top `shareCount` leaves and appends the share's range to the reply. The
    /// range follows only a request that carried `shareCount`, and even then a legacy board
    /// leaves it out.
    public enum PKeyExport: RPCFunction {
        public static let number = FunctionNumber.pkeyExport
        public static let timeoutClass = RPCTimeout.long

        /// 29 for `8 + pad4(pkcs8_max) + pad4(kek_max)` beyond the reply space.
        public static func overflowsPacket(_ request: Request) -> Bool {
            !RPCLimits.fitsReplySpace(opaqueOf: request.kekMaximum, plus: 4 + ((UInt64(request.pkcs8Maximum) + 3) & ~3))
        }

        /// The smallest `pkcs8Maximum` the reference accepts (`HAL_KS_WRAPPED_KEYSIZE`);
        /// anything less fails with `HAL_ERROR_RESULT_TOO_LONG`.
        public static let minimumPKCS8Maximum: UInt32 = 5480

        /// The PKEY_EXPORT arguments (docs/wire-protocol.md §4.2), with SX1's optional trailing
        /// share count.
        public struct Request: Hashable, Sendable, XDRCodable {
            /// The key to export (needs ``KeyFlags/exportable``).
            public var pkey: PKeyHandle
            /// The destination's RSA key that wraps the KEK (needs ``KeyFlags/keyEncipherment``).
            public var kekek: PKeyHandle
            /// The most wrapped-key bytes wanted; at least ``minimumPKCS8Maximum``.
            public var pkcs8Maximum: UInt32
            /// The most wrapped-KEK bytes wanted; more than 32.
            public var kekMaximum: UInt32
            /// SX1: how many top-level leaves the share gets; `nil` leaves the word out (old
            /// semantics: bisect), 0 asks for the bisection explicitly.
            public var shareCount: UInt32?

            /// A request exporting `pkey` wrapped for `kekek`; `shareCount` is SX1's extension.
            public init(pkey: PKeyHandle, kekek: PKeyHandle, pkcs8Maximum: UInt32, kekMaximum: UInt32, shareCount: UInt32? = nil) {
                self.pkey = pkey
                self.kekek = kekek
                self.pkcs8Maximum = pkcs8Maximum
                self.kekMaximum = kekMaximum
                self.shareCount = shareCount
            }

            public func encode(to encoder: inout XDREncoder) {
                encoder.encode(pkey)
                encoder.encode(kekek)
                encoder.encode(pkcs8Maximum)
                encoder.encode(kekMaximum)
                if let shareCount { encoder.encode(shareCount) }
            }

            public init(from decoder: inout XDRDecoder) throws(XDRError) {
                pkey = try decoder.decode()
                kekek = try decoder.decode()
                pkcs8Maximum = try decoder.decodeUInt32()
                kekMaximum = try decoder.decodeUInt32()
                // SX1: a whole trailing word is the share count; 1–3 stray bytes are left for
                // `finish()` (ignored like the firmware, rejected when strict).
                shareCount = decoder.remaining >= 4 ? try decoder.decodeUInt32() : nil
            }
        }

        /// The PKEY_EXPORT results (docs/wire-protocol.md §9.2), with SX1's share range.
        public struct Reply: Hashable, Sendable, XDREncodable {
            /// The key, AES-KWP wrapped: a DER EncryptedPrivateKeyInfo.
            public var pkcs8: [UInt8]
            /// The KEK, RSA-encrypted to the KEKEK: a DER EncryptedPrivateKeyInfo.
            public var kek: [UInt8]
            /// SX1: the top-level leaves the exported share holds; `nil` when the request had no
            /// share count or the board does not know SX1.
            public var shareRange: LeafRange?

            /// A reply carrying the wrapped key, the wrapped KEK and, for SX1, the share's range.
            public init(pkcs8: [UInt8], kek: [UInt8], shareRange: LeafRange? = nil) {
                self.pkcs8 = pkcs8
                self.kek = kek
                self.shareRange = shareRange
            }

            public func encode(to encoder: inout XDREncoder) {
                encoder.encodeOpaque(pkcs8)
                encoder.encodeOpaque(kek)
                // On the wire: the two words start, end.
                if let shareRange {
                    encoder.encode(shareRange.start)
                    encoder.encode(shareRange.end)
                }
            }
        }

        public static func decodeReply(from decoder: inout XDRDecoder, for request: Request) throws(XDRError) -> Reply {
            let pkcs8 = try decoder.decodeOpaque(maximum: Int(request.pkcs8Maximum))
            let kek = try decoder.decodeOpaque(maximum: Int(request.kekMaximum))
            // Without a share count in the request, extra bytes are left to fail as trailing.
            let range = request.shareCount != nil && decoder.remaining > 0 ? try decodeShareRange(from: &decoder) : nil
            return Reply(pkcs8: pkcs8, kek: kek, shareRange: range)
        }

        /// The words start, end; a range that ends below its start is a damaged reply.
        private static func decodeShareRange(from decoder: inout XDRDecoder) throws(XDRError) -> LeafRange {
            let offset = decoder.offset
            let start = try decoder.decodeUInt32()
            let end = try decoder.decodeUInt32()
            guard let range = LeafRange(start: start, end: end) else { throw .rangeEndsBeforeStart(offset: offset, start: start, end: end) }
            return range
        }
    }
}
