import HalRPC
import Synchronization

/// Open key handles: 256 slots board-wide (docs/wire-protocol.md §5.2), each naming a key and recording
/// the client that opened it (whose login decides DELETE and SET_ATTRIBUTES on the reference,
/// §4.3) and the session word (stored, never checked, §3.1).
///
/// With ``FirmwareBehaviour/bindsHandlesToClient`` a handle exists only for the client that
/// opened it: every lookup names the caller, and another client's handle is not found.
final class PKeyHandleTable: Sendable {
    /// The firmware's pkey slots.
    static let capacity = 256

    struct Entry: Sendable {
        var name: KeyName
        var client: ClientHandle
        var session: SessionHandle
    }

    private let table: Mutex<SlotTable<Entry>>
    private let bindsToClient: Bool

    /// A table numbering and guarding its handles as `behaviour` says
    /// (``FirmwareBehaviour/unpredictableHandles``, ``FirmwareBehaviour/bindsHandlesToClient``).
    init(behaviour: FirmwareBehaviour) {
        table = Mutex(SlotTable(capacity: Self.capacity, unpredictable: behaviour.unpredictableHandles))
        bindsToClient = behaviour.bindsHandlesToClient
    }

    /// Opens a handle on `name` for `client`.
    /// - Throws: `HAL_ERROR_NO_KEY_SLOTS_AVAILABLE` when all 256 are in use.
    func open(_ name: KeyName, token: Bool, client: ClientHandle, session: SessionHandle) throws(HALError) -> PKeyHandle {
        let entry = Entry(name: name, client: client, session: session)
        guard let handle = table.withLock({ $0.allocate(entry, flagged: token) }) else { throw .noKeySlotsAvailable }
        return PKeyHandle(rawValue: handle)
    }

    /// Fails early, before slow work (key generation), when no handle could be opened.
    /// - Throws: `HAL_ERROR_NO_KEY_SLOTS_AVAILABLE`.
    func requireFreeSlot() throws(HALError) {
        guard table.withLock({ $0.entries.count < Self.capacity }) else { throw .noKeySlotsAvailable }
    }

    /// The entry of `handle` as `caller` may see it.
    /// - Throws: `HAL_ERROR_KEY_NOT_FOUND` for an unknown handle, or another client's when
    ///   handles are bound to their client.
    func entry(_ handle: PKeyHandle, caller: ClientHandle) throws(HALError) -> Entry {
        guard let entry = table.withLock({ $0.entry(handle.rawValue) }), reaches(entry, caller) else { throw .keyNotFound }
        return entry
    }

    /// Closes `handle` if `caller` may see it; returns whether it did.
    @discardableResult
    func close(_ handle: PKeyHandle, caller: ClientHandle) -> Bool {
        table.withLock { table in
            guard let entry = table.entry(handle.rawValue), reaches(entry, caller) else { return false }
            table.release(handle.rawValue)
            return true
        }
    }

    /// Closes every handle `client` opened (the LOGOUT cleanup of
    /// ``FirmwareBehaviour/logoutReleasesHandles``).
    func closeAll(openedBy client: ClientHandle) {
        table.withLock { $0.releaseAll { $0.client == client } }
    }

    private func reaches(_ entry: Entry, _ caller: ClientHandle) -> Bool {
        !bindsToClient || entry.client == caller
    }
}
