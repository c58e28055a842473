import HalRPC

// SET_PIN (2), LOGIN (3), LOGOUT (4), LOGOUT_ALL (5), IS_LOGGED_IN (6): docs/wire-protocol.md §4.3, §6.
extension AlphaServer {
    /// PIN length 4…4096 and user NORMAL, SO or WHEEL, else 1; then §6's authorization (26).
    func setPIN(_ args: RPC.SetPIN.Request, client: ClientHandle) throws(HALError) -> NoResults {
        try Self.checkPINArguments(user: args.user, pin: args.pin)
        try users.setPIN(args.pin, for: args.user, by: client)
        logger.info("PIN changed", metadata: ["emulator.user": "\(args.user)", "rpc.client": "\(client)"])
        return NoResults()
    }

    /// LOGIN: PIN length 4…4096 and user NORMAL, SO or WHEEL, else 1 (no PIN compared); a
    /// wrong PIN → 24. Run only through ``pinChecks`` (``RequestRouter`` sees to it), which
    /// checks PINs one at a time board-wide and pauses after a wrong one; the reply says what
    /// the check found.
    func login(_ request: IncomingRequest, client: ClientHandle) -> ServerReply {
        var outcome = PINCheckOutcome.notChecked
        var reply = answer(request, RPC.Login.self) { (args) throws(HALError) -> NoResults in
            try Self.checkPINArguments(user: args.user, pin: args.pin)
            guard try users.verify(args.pin, for: args.user) else {
                outcome = .wrong(args.user, caller: "\(client)")
                throw .pinIncorrect
            }
            outcome = .correct
            try users.login(client, as: args.user)
            return NoResults()
        }
        reply.pinCheck = outcome
        return reply
    }

    /// Logs `client` out (docs/wire-protocol.md §6): its volatile keys are deleted whether or not it was
    /// logged in (the emulator does not copy §13.20's survival of a never-logged-in client's
    /// keys, in either personality), and with ``FirmwareBehaviour/logoutReleasesHandles`` its
    /// pkey and hash handles are released (the reference releases none, [REF BUG]). Handle
    /// 0's volatile keys and handles are shared by every client that does not pick a word,
    /// and survive.
    func logout(_ client: ClientHandle) -> NoResults {
        users.logout(client)
        if client != .zero {
            if behaviour.logoutReleasesHandles {
                pkeys.closeAll(openedBy: client)
                hashes.releaseAll(openedBy: client)
            }
            let deleted = keystore.removeVolatileKeys(ownedBy: client)
            if !deleted.isEmpty {
                logger.debug("volatile keys deleted at logout", metadata: ["rpc.client": "\(client)", "emulator.keys": "\(deleted.count)"])
            }
        }
        return NoResults()
    }

    /// LOGOUT for every logged-in client. With ``FirmwareBehaviour/logoutAllNeedsOfficer``
    /// the caller must be logged in as WHEEL or SO, else 26 (the reference needs no login,
    /// §13.21).
    func logoutAll(_ client: ClientHandle) throws(HALError) -> NoResults {
        if behaviour.logoutAllNeedsOfficer {
            let caller = users.user(of: client)
            guard caller == .wheel || caller == .securityOfficer else {
                logger.notice("LOGOUT_ALL refused: the caller is not logged in as WHEEL or SO", metadata: ["rpc.client": "\(client)"])
                throw .forbidden
            }
        }
        let clients = users.loggedInClients
        for each in clients { _ = logout(each) }
        logger.notice("LOGOUT_ALL", metadata: ["rpc.client": "\(client)", "emulator.clients": "\(clients.count)"])
        return NoResults()
    }

    /// User outside 1…3 → 1; logged in as exactly that user → 0; otherwise 26 (WHEEL is not
    /// NORMAL).
    func isLoggedIn(_ args: RPC.IsLoggedIn.Request, client: ClientHandle) throws(HALError) -> NoResults {
        guard Self.isLoginUser(args.user) else { throw .badArguments }
        guard users.user(of: client) == args.user else { throw .forbidden }
        return NoResults()
    }

    static func isLoginUser(_ user: User) -> Bool {
        user == .normal || user == .securityOfficer || user == .wheel
    }

    static func checkPINArguments(user: User, pin: PIN) throws(HALError) {
        guard PIN.validLengths.contains(pin.bytes.count), isLoginUser(user) else { throw .badArguments }
    }
}
