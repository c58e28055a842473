import HalRPC
import Synchronization

/// Open key handles: 256 slots board-wide (rpc-wire.md §5.2), each naming a key and recording
/// the client that opened it (whose login decides DELETE and SET_ATTRIBUTES, §4.3) and the
/// session word (stored, never checked, §3.1).
final class PKeyHandleTable: Sendable {
    /// The firmware's pkey slots.
    static let capacity = 256

    struct Entry: Sendable {
        var name: KeyName
        var client: ClientHandle
        var session: SessionHandle
    }

    private let table = Mutex(SlotTable<Entry>(capacity: PKeyHandleTable.capacity))

    /// Opens a handle on `name`.
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

    /// The entry of `handle`.
    /// - Throws: `HAL_ERROR_KEY_NOT_FOUND` for an unknown handle.
    func entry(_ handle: PKeyHandle) throws(HALError) -> Entry {
        guard let entry = table.withLock({ $0.entry(handle.rawValue) }) else { throw .keyNotFound }
        return entry
    }

    /// Closes `handle`; returns whether it was open.
    @discardableResult
    func close(_ handle: PKeyHandle) -> Bool {
        table.withLock { $0.release(handle.rawValue) } != nil
    }

    /// Closes every handle `client` opened (the LOGOUT cleanup the firmware intends,
    /// rpc-wire.md §6 [REF BUG] — it compares the wrong field and releases none).
    func closeAll(openedBy client: ClientHandle) {
        table.withLock { $0.releaseAll { $0.client == client } }
    }
}
