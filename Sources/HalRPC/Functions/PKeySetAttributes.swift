extension RPC {
    /// PKEY_SET_ATTRIBUTES (27): sets or deletes attributes of a key. The SX1 range
    /// attributes are read-only (`HAL_ERROR_FORBIDDEN`).
    public enum PKeySetAttributes: RPCFunction {
        public static let number = FunctionNumber.pkeySetAttributes
        public static let timeoutClass = RPCTimeout.standard
        public typealias Reply = NoResults

        /// The PKEY_SET_ATTRIBUTES arguments (docs/wire-protocol.md §4.2).
        public struct Request: Hashable, Sendable, XDRCodable {
            /// The client's handle for the key; changing it needs a login that may write the key.
            public var pkey: PKeyHandle
            /// The changes, applied in order: each sets a value or deletes the attribute.
            public var updates: [AttributeUpdate]

            /// A request applying `updates` to `pkey`.
            public init(pkey: PKeyHandle, updates: [AttributeUpdate]) {
                self.pkey = pkey
                self.updates = updates
            }

            public func encode(to encoder: inout XDREncoder) {
                encoder.encode(pkey)
                encoder.encode(UInt32(updates.count))
                for update in updates { encoder.encode(update) }
            }

            public init(from decoder: inout XDRDecoder) throws(XDRError) {
                pkey = try decoder.decode()
                // docs/wire-protocol.md §4.3: count × 8 > remaining bytes → HAL_ERROR_RPC_PACKET_OVERFLOW
                // (a deletion is 8 bytes, the shortest entry).
                let count = try decoder.decodeCount(elementSize: 8)
                var updates: [AttributeUpdate] = []
                updates.reserveCapacity(count)
                for _ in 0..<count { updates.append(try decoder.decode()) }
                self.updates = updates
            }
        }
    }
}
