extension RPC {
    /// SET_PIN (2): sets a user's PIN. NORMAL's needs an SO or WHEEL login, SO's and
    /// WHEEL's need WHEEL (rpc-wire.md §6).
    public enum SetPIN: RPCFunction {
        public static let number = FunctionNumber.setPIN
        public static let timeoutClass = RPCTimeout.standard
        public typealias Reply = NoResults

        public struct Request: Hashable, Sendable, XDRCodable {
            public var user: User
            public var pin: PIN

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
