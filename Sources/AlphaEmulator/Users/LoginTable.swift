import HalRPC

/// Who is logged in, keyed by client handle (docs/wire-protocol.md §6): one user per handle, at most
/// ten handles at a time.
struct LoginTable: Sendable {
    /// The firmware's login slots; an eleventh client gets HAL_ERROR_NO_CLIENT_SLOTS_AVAILABLE.
    static let capacity = 10

    private var logins: [ClientHandle: User] = [:]

    /// The user `client` is logged in as, if any.
    func user(of client: ClientHandle) -> User? { logins[client] }

    /// Records a login; logging in again (as any user) replaces the handle's previous login.
    /// - Throws: `HAL_ERROR_NO_CLIENT_SLOTS_AVAILABLE` when ten other handles are logged in.
    mutating func login(_ client: ClientHandle, as user: User) throws(HALError) {
        if logins[client] == nil, logins.count >= Self.capacity { throw .noClientSlotsAvailable }
        logins[client] = user
    }

    /// Frees the handle's login slot; returns whether it was logged in.
    @discardableResult
    mutating func logout(_ client: ClientHandle) -> Bool {
        logins.removeValue(forKey: client) != nil
    }

    /// Every logged-in handle.
    var clients: [ClientHandle] { Array(logins.keys) }

    /// NORMAL or WHEEL: the logins that may use private keys (docs/wire-protocol.md §6; SO is not enough).
    func isUserOrWheel(_ client: ClientHandle) -> Bool {
        let user = logins[client]
        return user == .normal || user == .wheel
    }

    /// `writable(flags)` of docs/wire-protocol.md §4.2: PUBLIC without TOKEN needs no login, anything
    /// else NORMAL or WHEEL.
    func mayWrite(_ client: ClientHandle, flags: KeyFlags) -> Bool {
        (flags.contains(.public) && !flags.contains(.token)) || isUserOrWheel(client)
    }

    /// `readable(flags)` of docs/wire-protocol.md §4.2: PUBLIC needs no login, anything else NORMAL or
    /// WHEEL.
    func mayRead(_ client: ClientHandle, flags: KeyFlags) -> Bool {
        flags.contains(.public) || isUserOrWheel(client)
    }
}
