import DurableFile
import HalRPC
import Logging
import Synchronization

/// Users, PINs and logins (docs/wire-protocol.md §6): the PIN records (persisted in the state
/// directory) and the login table (in memory, like the board's).
///
/// PIN hashing (PBKDF2, a millisecond or two) runs outside every lock.
final class UserDirectory: Sendable {
    private let path: String?
    private let logger: Logger
    private let pins: Mutex<PINStore>
    private let logins = Mutex(LoginTable())
    /// Serialises PIN file writes.
    private let writer = Mutex<Void>(())

    /// Loads `<stateDirectory>/pins`, or starts like a factory board (and writes that) when
    /// there is none. A corrupt PIN file is reported and replaced by the factory state.
    /// - Throws: ``DurableFileError`` when the state directory cannot be written.
    init(stateDirectory: String?, logger: Logger) throws {
        self.logger = logger
        path = stateDirectory.map { $0 + "/pins" }
        var store: PINStore?
        // The sealed PIN records are a few hundred bytes.
        if let path, let bytes = try DurableFile.read(path, limit: 1 << 16) {
            do {
                store = try PINStore(sealedFile: bytes)
            } catch {
                logger.error("corrupt PIN file ignored; starting with factory PINs",
                             metadata: ["emulator.file": "\(path)", "emulator.reason": "\(error)"])
            }
        }
        let loaded = try store ?? PINStore.factory()
        pins = Mutex(loaded)
        if store == nil, let path {
            try DurableFile.replace(path, with: loaded.sealedFile)
        }
    }

    // MARK: - PINs

    /// Sets `user`'s PIN without any authorization (the initial PINs of ``InitialPINs``).
    func initialize(_ user: User, pin: PIN) throws {
        let record = try PINRecord.derive(pin, salt: randomBytes(PINRecord.saltLength), iterations: PINRecord.iterationsForNewPINs)
        try store(record, for: user)
    }

    /// Whether `pin` is `user`'s PIN, compared in constant time. An unset PIN never matches.
    func verify(_ pin: PIN, for user: User) throws(HALError) -> Bool {
        let record = pins.withLock { $0[user] }
        // Hash even for an unset record, so that timing does not tell which PINs are set.
        let candidate = try PINRecord.derive(pin, salt: record.salt, iterations: record.effectiveIterations)
        return ConstantTime.isEqual(candidate.hash, record.hash) && !record.isUnset
    }

    /// SET_PIN (docs/wire-protocol.md §6): new random salt, 2000 iterations.
    /// - Throws: `HAL_ERROR_FORBIDDEN` unless `client` may set `user`'s PIN: SO or WHEEL for
    ///   NORMAL, WHEEL for SO and WHEEL. `HAL_ERROR_KEYSTORE_ACCESS` if the file cannot be written.
    func setPIN(_ pin: PIN, for user: User, by client: ClientHandle) throws(HALError) {
        let caller = logins.withLock { $0.user(of: client) }
        let allowed = user == .normal ? (caller == .securityOfficer || caller == .wheel) : caller == .wheel
        guard allowed else { throw .forbidden }
        let record = try PINRecord.derive(pin, salt: randomBytes(PINRecord.saltLength), iterations: PINRecord.iterationsForNewPINs)
        do {
            try store(record, for: user)
        } catch {
            logger.error("cannot write PIN file", metadata: ["emulator.reason": "\(error)"])
            throw .keystoreAccess
        }
    }

    private func store(_ record: PINRecord, for user: User) throws {
        try writer.withLock { _ in
            var updated = pins.withLock { $0 }
            updated.set(record, for: user)
            if let path {
                try DurableFile.replace(path, with: updated.sealedFile)
            }
            pins.withLock { $0 = updated }
        }
    }

    // MARK: - Logins

    func login(_ client: ClientHandle, as user: User) throws(HALError) {
        try logins.withLock { (table: inout LoginTable) throws(HALError) in try table.login(client, as: user) }
    }

    /// Frees `client`'s login slot; returns whether it was logged in.
    @discardableResult
    func logout(_ client: ClientHandle) -> Bool {
        logins.withLock { $0.logout(client) }
    }

    /// Every logged-in client handle.
    var loggedInClients: [ClientHandle] { logins.withLock { $0.clients } }

    func user(of client: ClientHandle) -> User? { logins.withLock { $0.user(of: client) } }

    func isUserOrWheel(_ client: ClientHandle) -> Bool { logins.withLock { $0.isUserOrWheel(client) } }

    func isWheel(_ client: ClientHandle) -> Bool { user(of: client) == .wheel }

    func mayWrite(_ client: ClientHandle, flags: KeyFlags) -> Bool { logins.withLock { $0.mayWrite(client, flags: flags) } }

    func mayRead(_ client: ClientHandle, flags: KeyFlags) -> Bool { logins.withLock { $0.mayRead(client, flags: flags) } }
}
