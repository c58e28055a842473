extension RPC {
    /// PKEY_GENERATE_HASHSIG (31): generates an HSS/LMS key (rpc-wire.md §8.5). Flags need
    /// ``KeyFlags/digitalSignature`` and ``KeyFlags/token``; ``KeyFlags/exportable`` makes the
    /// top level SEED-derived so it can be shared. Takes minutes on the board.
    public enum PKeyGenerateHashsig: RPCFunction {
        public static let number = FunctionNumber.pkeyGenerateHashsig
        public static let timeoutClass = RPCTimeout.keyGeneration
        public typealias Reply = NewKey

        public struct Request: Hashable, Sendable, XDRCodable {
            public var session: SessionHandle
            /// HSS levels `L`, 1…8.
            public var levels: UInt32
            public var lmsType: LMSTypeCode
            public var lmotsType: LMOTSTypeCode
            public var flags: KeyFlags

            public init(session: SessionHandle, levels: UInt32, lmsType: LMSTypeCode, lmotsType: LMOTSTypeCode, flags: KeyFlags) {
                self.session = session
                self.levels = levels
                self.lmsType = lmsType
                self.lmotsType = lmotsType
                self.flags = flags
            }

            public func encode(to encoder: inout XDREncoder) {
                encoder.encode(session)
                encoder.encode(levels)
                encoder.encode(lmsType)
                encoder.encode(lmotsType)
                encoder.encode(flags)
            }

            public init(from decoder: inout XDRDecoder) throws(XDRError) {
                session = try decoder.decode()
                levels = try decoder.decodeUInt32()
                lmsType = try decoder.decode()
                lmotsType = try decoder.decode()
                flags = try decoder.decode()
            }
        }
    }
}
