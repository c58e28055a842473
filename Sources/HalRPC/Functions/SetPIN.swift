extension RPC {
    /// SET_PIN (2): sets a user's PIN. NORMAL's needs an SO or WHEEL login, SO's and
    /// WHEEL's need WHEEL (docs/wire-protocol.md §6).
    public enum SetPIN: RPCFunction {
        public static let number = FunctionNumber.setPIN
        public static let timeoutClass = RPCTimeout.standard
        public typealias Reply = NoResults

        /// The SET_PIN arguments, also LOGIN's: a user and a PIN (docs/wire-protocol.md §4.2).
        public struct Request: Hashable, Sendable, XDRCodable {
            /// Whose PIN is set (SET_PIN) or who logs in (LOGIN).
            public var user: User
            /// The new PIN (SET_PIN) or the PIN to check (LOGIN); sent in the clear over the link, so
            /// never logged above debug.
            public var pin: PIN

            /// A request for `user` with `pin`.
            public init(user: User, pin: PIN) {
                self.user = user
                self.pin = pin
            }

            public func encode(to encoder: inout XDREncoder) {
                encoder.encode(user)
                encoder.encode(pin)
            }

            public init(from decoder: inout XDRDecoder) throws(XDRError) {
                user = try decoder.decode()
                pin = try decoder.decode()
            }
        }
    }
}
