extension RPC {
    /// PKEY_MATCH (25): one page of the names of keys that match a filter, in keystore order
    /// (docs/wire-protocol.md §4.3). ``HSMClient/matchKeys(type:curve:mask:flags:attributes:pageSize:session:)``
    /// pages through all of them.
    public enum PKeyMatch: RPCFunction {
        public static let number = FunctionNumber.pkeyMatch
        public static let timeoutClass = RPCTimeout.short

        /// 29 for `8 + 20 × result_max` beyond the reply space.
        public static func overflowsPacket(_ request: Request) -> Bool {
            8 + UInt64(request.resultMaximum) * 20 > UInt64(RPCLimits.replySpace)
        }

        /// The most names one page can hold: `8 + resultMaximum × 20` must fit the reply
        /// space (docs/wire-protocol.md §4.3).
        public static let maximumPageSize = (RPCLimits.replySpace - 8) / nameSize

        /// One name in the reply: length word and 16 bytes.
        static let nameSize = 20

        /// The PKEY_MATCH arguments: a filter, and where the previous page stopped
        /// (docs/wire-protocol.md §4.2, §4.3).
        public struct Request: Hashable, Sendable, XDRCodable {
            /// The caller's session word; the reference ignores it (docs/wire-protocol.md §3.1).
            public var session: SessionHandle
            /// Only keys of this type; ``KeyType/none`` for any.
            public var type: KeyType
            /// Only keys on this curve; ``Curve/none`` for any.
            public var curve: Curve
            /// The flag bits that must equal those in `flags`.
            public var mask: KeyFlags
            /// The values the bits in `mask` must have.
            public var flags: KeyFlags
            /// Attributes a key must hold with exactly these values.
            public var attributes: [Attribute]
            /// ``MatchState/start`` for the first page, then the state the last page returned.
            public var state: MatchState
            /// The most names wanted in this page (`result_max`).
            public var resultMaximum: UInt32
            /// The last name of the previous page (an exclusive lower bound).
            public var previous: KeyName

            /// A request for one page of names; see each property for its meaning.
            public init(
                session: SessionHandle, type: KeyType, curve: Curve, mask: KeyFlags, flags: KeyFlags,
                attributes: [Attribute], state: MatchState, resultMaximum: UInt32, previous: KeyName
            ) {
                self.session = session
                self.type = type
                self.curve = curve
                self.mask = mask
                self.flags = flags
                self.attributes = attributes
                self.state = state
                self.resultMaximum = resultMaximum
                self.previous = previous
            }

            public func encode(to encoder: inout XDREncoder) {
                encoder.encode(session)
                encoder.encode(type)
                encoder.encode(curve)
                encoder.encode(mask)
                encoder.encode(flags)
                encoder.encode(UInt32(attributes.count))
                for attribute in attributes { encoder.encode(attribute) }
                encoder.encode(state)
                encoder.encode(resultMaximum)
                encoder.encode(previous)
            }

            public init(from decoder: inout XDRDecoder) throws(XDRError) {
                session = try decoder.decode()
                type = try decoder.decode()
                curve = try decoder.decode()
                mask = try decoder.decode()
                flags = try decoder.decode()
                // docs/wire-protocol.md §4.3: count × 8 > remaining bytes → HAL_ERROR_RPC_PACKET_OVERFLOW.
                let count = try decoder.decodeCount(elementSize: Attribute.minimumSize)
                var attributes: [Attribute] = []
                attributes.reserveCapacity(count)
                for _ in 0..<count { attributes.append(try decoder.decode()) }
                self.attributes = attributes
                state = try decoder.decode()
                resultMaximum = try decoder.decodeUInt32()
                previous = try decoder.decode()
            }
        }

        /// The PKEY_MATCH results: where the search stands, and this page's names.
        public struct Reply: Hashable, Sendable, XDREncodable {
            /// Where the search stopped; ``MatchState/done`` once both keystores are through.
            public var state: MatchState
            /// The names of matching keys in keystore order, at most the request's `resultMaximum`;
            /// fewer (even none) does not mean the search is over, only ``MatchState/done`` does.
            public var names: [KeyName]

            /// A reply with `state` and `names`.
            public init(state: MatchState, names: [KeyName]) {
                self.state = state
                self.names = names
            }

            public func encode(to encoder: inout XDREncoder) {
                encoder.encode(state)
                encoder.encode(UInt32(names.count))
                for name in names { encoder.encode(name) }
            }
        }

        /// No more names than `resultMaximum`, each exactly 16 bytes.
        public static func decodeReply(from decoder: inout XDRDecoder, for request: Request) throws(XDRError) -> Reply {
            let state: MatchState = try decoder.decode()
            let count = try decoder.decodeCount(elementSize: nameSize, maximum: Int(request.resultMaximum))
            var names: [KeyName] = []
            names.reserveCapacity(count)
            for _ in 0..<count { names.append(try decoder.decode()) }
            return Reply(state: state, names: names)
        }
    }
}
