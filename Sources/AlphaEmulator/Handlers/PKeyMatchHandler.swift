import HalRPC

// PKEY_MATCH (25): docs/wire-protocol.md §4.3.
extension AlphaServer {
    /// Check order: attribute count beyond the request → 29 and previous ≠ 16 bytes → 31
    /// (while decoding); `8 + result_max × 20 > 16372` → 29; result_max 0 → 1; not readable →
    /// status 0, state echoed, no names; state > 3 → 1.
    ///
    /// Walks the token keystore, then the volatile one, each in ascending UUID order, from the
    /// first name strictly above `previous`; stops as soon as `result_max` names are found and
    /// returns the state it stopped in (0 START, 1 TOKEN, 2 VOLATILE, 3 DONE). Moving on to the
    /// volatile keystore resets the lower bound to zero.
    func pkeyMatch(_ args: RPC.PKeyMatch.Request, client: ClientHandle) throws(HALError) -> RPC.PKeyMatch.Reply {
        guard !RPC.PKeyMatch.overflowsPacket(args) else { throw .rpcPacketOverflow }
        guard args.resultMaximum > 0 else { throw .badArguments }
        // [REF BUG] kept on purpose (docs/wire-protocol.md §13.24): clients expect an empty page here.
        guard users.mayRead(client, flags: args.flags) else { return .init(state: args.state, names: []) }
        guard args.state.rawValue <= MatchState.done.rawValue else { throw .badArguments }

        let limit = Int(args.resultMaximum)
        let searchToken = !args.mask.contains(.token) || args.flags.contains(.token)
        let searchVolatile = !args.mask.contains(.token) || !args.flags.contains(.token)
        var state = args.state
        var previous = args.previous
        var names: [KeyName] = []
        if state == .start {
            state = .token
            previous = .zero
        }
        if state == .token {
            if searchToken {
                for record in keystore.records(token: true) where record.name > previous && matches(record, args) {
                    names.append(record.name)
                    if names.count == limit { return .init(state: .token, names: names) }
                }
            }
            state = .volatile
            previous = .zero
        }
        if state == .volatile {
            if searchVolatile {
                for record in keystore.records(token: false)
                where record.name > previous && isVisible(record, to: client) && matches(record, args) {
                    names.append(record.name)
                    if names.count == limit { return .init(state: .volatile, names: names) }
                }
            }
            state = .done
        }
        return .init(state: state, names: names)
    }

    /// Type 0 or equal; curve 0 or equal; `(flags XOR key flags) AND mask = 0`; every listed
    /// attribute present with exactly that value.
    private func matches(_ record: KeyRecord, _ args: RPC.PKeyMatch.Request) -> Bool {
        guard args.type == .none || args.type == record.type else { return false }
        guard args.curve == .none || args.curve == record.curve else { return false }
        guard (args.flags.rawValue ^ record.flags.rawValue) & args.mask.rawValue == 0 else { return false }
        return args.attributes.allSatisfy { wanted in
            record.attributes.contains { $0.type == wanted.type && $0.value == wanted.value }
        }
    }
}
