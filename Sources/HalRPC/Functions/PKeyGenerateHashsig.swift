extension RPC {
    /// PKEY_GENERATE_HASHSIG (31): generates an HSS/LMS key (docs/wire-protocol.md §8.5). Flags need
    /// ``KeyFlags/digitalSignature`` and ``KeyFlags/token``; ``KeyFlags/exportable`` makes the
    /// top level SEED-derived so it can be shared. Takes minutes on the board.
    public enum PKeyGenerateHashsig: RPCFunction {
        public static let number = FunctionNumber.pkeyGenerateHashsig
        public static let timeoutClass = RPCTimeout.keyGeneration
        public typealias Reply = NewKey

        /// The PKEY_GENERATE_HASHSIG arguments (docs/wire-protocol.md §4.2, §8.5).
        public struct Request: Hashable, Sendable, XDRCodable {
            /// The caller's session word, stored with the key and never checked by the reference.
            public var session: SessionHandle
            /// HSS levels `L`, 1…8.
            public var levels: UInt32
            /// The LMS parameter set of every level (tree height and hash).
            public var lmsType: LMSTypeCode
            /// The LM-OTS parameter set of every level (Winternitz width and hash).
            public var lmotsType: LMOTSTypeCode
            /// The new key's flags; see ``PKeyGenerateHashsig`` for the ones it needs.
            public var flags: KeyFlags

            /// A request for an `levels`-level HSS key of the given parameter sets.
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
