nonisolated extension HSMClient {
    /// `hal_rpc_set_pin`: sets `user`'s PIN (docs/wire-protocol.md §6 says who may).
    /// - Parameters:
    ///   - user: whose PIN.
    ///   - pin: the new PIN, 4…4096 bytes.
    ///   - timeout: overrides ``RPCTimeout/standard``.
    /// - Throws: ``HSMClientError``, e.g. `.device(.forbidden)`.
    public func setPIN(user: User, pin: PIN, timeout: Duration? = nil) async throws {
        _ = try await perform(RPC.SetPIN.self, .init(user: user, pin: pin), timeout: timeout)
    }

    /// `hal_rpc_login`: logs this client handle in as `user`. Through the muxd the login
    /// lasts as long as this client's connection.
    /// - Parameters:
    ///   - user: who.
    ///   - pin: the PIN; a wrong one is answered after 5 s.
    ///   - timeout: overrides ``RPCTimeout/standard``.
    ///
    /// A LOGIN is not sent twice (a wrong PIN would count twice against the board's limit).
    /// When its reply is lost or damaged, or is an error one flipped bit away from success (a
    /// success and an error reply are the same 12 bytes, so status 0 with one bit flipped is a
    /// known error: 1, 2, 4, 8, 16 or 32), the board is asked whether the client is now logged
    /// in, and a yes ends the call as a success. Other errors, such as a wrong PIN (24), are the
    /// board's answer: asking would take an earlier login of the same client for this one's.
    /// - Throws: ``HSMClientError``, e.g. `.device(.pinIncorrect)`; the lost or damaged reply
    ///   when the board says the client is not logged in.
    public func login(user: User, pin: PIN, timeout: Duration? = nil) async throws {
        do {
            _ = try await perform(RPC.Login.self, .init(user: user, pin: pin), timeout: timeout)
        } catch let error as HSMClientError {
            switch error {
            case .replyLost, .damagedReply:
                guard (try? await isLoggedIn(user: user)) == true else { throw error }
            case .device(let status) where status.rawValue.nonzeroBitCount == 1:
                guard (try? await isLoggedIn(user: user)) == true else { throw error }
            default:
                throw error
            }
        }
    }

    /// `hal_rpc_logout`: ends this client handle's login; the board deletes its volatile keys.
    /// - Parameter timeout: overrides ``RPCTimeout/short``.
    /// - Throws: ``HSMClientError``.
    public func logout(timeout: Duration? = nil) async throws {
        _ = try await perform(RPC.Logout.self, NoArguments(), timeout: timeout)
    }

    /// `hal_rpc_logout_all`: logs out every client of the board.
    /// - Parameter timeout: overrides ``RPCTimeout/short``.
    /// - Throws: ``HSMClientError``.
    public func logoutAll(timeout: Duration? = nil) async throws {
        _ = try await perform(RPC.LogoutAll.self, NoArguments(), timeout: timeout)
    }

    /// `hal_rpc_is_logged_in`: whether this client handle is logged in as exactly `user`.
    /// - Parameters:
    ///   - user: the user to ask about (WHEEL does not count as NORMAL).
    ///   - timeout: overrides ``RPCTimeout/short``.
    /// - Returns: `false` when the board answers `HAL_ERROR_FORBIDDEN`.
    /// - Throws: ``HSMClientError`` for any other failure.
    public func isLoggedIn(user: User, timeout: Duration? = nil) async throws -> Bool {
        do {
            _ = try await perform(RPC.IsLoggedIn.self, .init(user: user), timeout: timeout)
            return true
        } catch HSMClientError.device(.forbidden) {
            return false
        }
    }
}
