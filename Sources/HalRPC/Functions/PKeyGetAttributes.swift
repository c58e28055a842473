extension RPC {
    /// PKEY_GET_ATTRIBUTES (28): attribute values of a key, in two phases
    /// (docs/wire-protocol.md §4.3): with `bufferLength` 0 the board answers each type's value length,
    /// then with the sum of the wanted lengths it answers the values. ``PKey/attributes(_:)``
    /// does both.
    public enum PKeyGetAttributes: RPCFunction {
        public static let number = FunctionNumber.pkeyGetAttributes
        public static let timeoutClass = RPCTimeout.short

        /// 29 for `4 × (1 + 2 × count) + attributes_buffer_len` beyond the reply space (no padding counted, as the reference).
        public static func overflowsPacket(_ request: Request) -> Bool {
            4 * (1 + 2 * UInt64(request.types.count)) + UInt64(request.bufferLength) > UInt64(RPCLimits.replySpace)
        }

        /// The PKEY_GET_ATTRIBUTES arguments (docs/wire-protocol.md §4.2).
        public struct Request: Hashable, Sendable, XDRCodable {
            /// The client's handle for the key whose attributes are read.
            public var pkey: PKeyHandle
            /// The attribute types wanted, answered in this order. A type the key lacks is
            /// answered with length 0 in the length query, and fails the value query as a whole
            /// with `HAL_ERROR_ATTRIBUTE_NOT_FOUND` (docs/wire-protocol.md §4.3).
            public var types: [AttributeType]
            /// 0 for the length query; else the room for all values together.
            public var bufferLength: UInt32

            /// A request for `types` of `pkey`: their lengths when `bufferLength` is 0, else their values.
            public init(pkey: PKeyHandle, types: [AttributeType], bufferLength: UInt32) {
                self.pkey = pkey
                self.types = types
                self.bufferLength = bufferLength
            }

            public func encode(to encoder: inout XDREncoder) {
                encoder.encode(pkey)
                encoder.encode(UInt32(types.count))
                for type in types { encoder.encode(type) }
                encoder.encode(bufferLength)
            }

            public init(from decoder: inout XDRDecoder) throws(XDRError) {
                pkey = try decoder.decode()
                // docs/wire-protocol.md §4.3: 4 × (1 + count) > remaining → HAL_ERROR_RPC_PACKET_OVERFLOW.
                let count = try decoder.decodeCount(elementSize: 4, trailingBytes: 4)
                var types: [AttributeType] = []
                types.reserveCapacity(count)
                for _ in 0..<count { types.append(try decoder.decode()) }
                self.types = types
                bufferLength = try decoder.decodeUInt32()
            }
        }

        /// The board echoes the request's types in request order.
        public enum Reply: Hashable, Sendable, XDREncodable {
            /// The answer to a length query (`bufferLength` 0).
            case lengths([AttributeLength])
            /// The values.
            case values([Attribute])

            public func encode(to encoder: inout XDREncoder) {
                switch self {
                case .lengths(let lengths):
                    encoder.encode(UInt32(lengths.count))
                    for entry in lengths { encoder.encode(entry) }
                case .values(let values):
                    encoder.encode(UInt32(values.count))
                    for attribute in values { encoder.encode(attribute) }
                }
            }
        }

        /// No more entries than types requested; the shape follows `bufferLength`.
        public static func decodeReply(from decoder: inout XDRDecoder, for request: Request) throws(XDRError) -> Reply {
            let count = try decoder.decodeCount(elementSize: 8, maximum: request.types.count)
            if request.bufferLength == 0 {
                var lengths: [AttributeLength] = []
                lengths.reserveCapacity(count)
                for _ in 0..<count { lengths.append(try decoder.decode()) }
                return .lengths(lengths)
            }
            var values: [Attribute] = []
            values.reserveCapacity(count)
            for _ in 0..<count {
                values.append(try Attribute(from: &decoder, maximumValueLength: Int(request.bufferLength)))
            }
            return .values(values)
        }

        /// The board echoes every requested type, in request order, or fails the call
        /// (docs/wire-protocol.md §4.3); the C client checks it too. Anything else was damaged on the way.
        public static func impossibility(of reply: Reply, for request: Request) -> String? {
            let echoed = switch reply {
            case .lengths(let lengths): lengths.map(\.type)
            case .values(let values): values.map(\.type)
            }
            return echoed == request.types ? nil : "attribute types do not match the request"
        }
    }
}
