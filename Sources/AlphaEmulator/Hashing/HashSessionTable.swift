import HalRPC
import Synchronization

/// Open hash and HMAC handles (docs/wire-protocol.md §7): 32 hash slots and 16 HMAC slots board-wide,
/// numbered with the top bit set for HMAC (§5.2). On the reference a handle records its client
/// and session only for bookkeeping and any client may use any handle value; with
/// ``FirmwareBehaviour/bindsHandlesToClient`` only the client that opened it reaches it.
///
/// Every use of a context happens under the table's lock, so two clients sharing a handle
/// value cannot corrupt it; an update of one 16 KiB request holds the lock for microseconds.
final class HashSessionTable: Sendable {
    /// The firmware's plain hash slots.
    static let hashCapacity = 32
    /// The firmware's HMAC slots.
    static let hmacCapacity = 16

    /// Unchecked: its context is only ever touched under the table's lock.
    private final class Session: @unchecked Sendable {
        let context: DigestContext
        let client: ClientHandle
        let session: SessionHandle

        init(context: DigestContext, client: ClientHandle, session: SessionHandle) {
            self.context = context
            self.client = client
            self.session = session
        }
    }

    private struct Tables {
        var hashes: SlotTable<Session>
        var hmacs: SlotTable<Session>
        let bindsToClient: Bool

        /// The session of `handle` as `caller` may see it.
        func session(_ handle: HashHandle, caller: ClientHandle) -> Session? {
            let session = handle.rawValue & 0x8000_0000 != 0 ? hmacs.entry(handle.rawValue) : hashes.entry(handle.rawValue)
            guard let session, !bindsToClient || session.client == caller else { return nil }
            return session
        }

        mutating func release(_ handle: HashHandle) {
            if handle.rawValue & 0x8000_0000 != 0 { hmacs.release(handle.rawValue) } else { hashes.release(handle.rawValue) }
        }
    }

    private let tables: Mutex<Tables>

    /// Tables numbering and guarding their handles as `behaviour` says
    /// (``FirmwareBehaviour/unpredictableHandles``, ``FirmwareBehaviour/bindsHandlesToClient``).
    init(behaviour: FirmwareBehaviour) {
        let unpredictable = behaviour.unpredictableHandles
        tables = Mutex(Tables(
            hashes: SlotTable(capacity: Self.hashCapacity, unpredictable: unpredictable),
            hmacs: SlotTable(capacity: Self.hmacCapacity, unpredictable: unpredictable),
            bindsToClient: behaviour.bindsHandlesToClient))
    }

    /// HASH_INITIALIZE: a plain hash for an empty key, an HMAC otherwise.
    /// - Throws: `HAL_ERROR_BAD_ARGUMENTS` for an algorithm the RPC does not serve (incl.
    ///   SHA-224), `HAL_ERROR_ALLOCATION_FAILURE` when no slot of the kind is free.
    func open(_ algorithm: DigestAlgorithm, key: [UInt8], client: ClientHandle, session: SessionHandle) throws(HALError) -> HashHandle {
        guard algorithm.isServedByHashRPC else { throw .badArguments }
        let context: DigestContext
        do {
            context = key.isEmpty ? try DigestContext(algorithm: algorithm) : try DigestContext(algorithm: algorithm, hmacKey: key)
        } catch {
            throw error.halError
        }
        let entry = Session(context: context, client: client, session: session)
        let handle = tables.withLock { tables -> UInt32? in
            key.isEmpty ? tables.hashes.allocate(entry, flagged: false) : tables.hmacs.allocate(entry, flagged: true)
        }
        guard let handle else { throw .allocationFailure }
        return HashHandle(rawValue: handle)
    }

    /// The algorithm of an open handle.
    /// - Throws: `HAL_ERROR_BAD_ARGUMENTS` for handle 0 or an unknown handle (§4.3), which
    ///   another client's is when handles are bound.
    func algorithm(_ handle: HashHandle, caller: ClientHandle) throws(HALError) -> DigestAlgorithm {
        guard let algorithm = tables.withLock({ $0.session(handle, caller: caller)?.context.algorithm }) else { throw .badArguments }
        return algorithm
    }

    /// HASH_UPDATE.
    /// - Throws: `HAL_ERROR_BAD_ARGUMENTS` for handle 0 or an unknown handle.
    func update(_ handle: HashHandle, _ data: [UInt8], caller: ClientHandle) throws(HALError) {
        try tables.withLock { (tables: inout Tables) throws(HALError) in
            guard let session = tables.session(handle, caller: caller) else { throw .badArguments }
            do throws(CryptoError) {
                try session.context.update(data)
            } catch {
                throw error.halError
            }
        }
    }

    /// Finishes a handle and frees it: the digest, and for a plain hash the algorithm (for
    /// SIGN/VERIFY, which build a DigestInfo from it).
    /// - Throws: `HAL_ERROR_BAD_ARGUMENTS` for handle 0 or an unknown handle.
    func finalize(_ handle: HashHandle, caller: ClientHandle) throws(HALError) -> (digest: [UInt8], algorithm: DigestAlgorithm, isHMAC: Bool) {
        try tables.withLock { (tables: inout Tables) throws(HALError) -> (digest: [UInt8], algorithm: DigestAlgorithm, isHMAC: Bool) in
            guard let session = tables.session(handle, caller: caller) else { throw .badArguments }
            tables.release(handle)
            do throws(CryptoError) {
                return (try session.context.finalize(), session.context.algorithm, session.context.isHMAC)
            } catch {
                throw error.halError
            }
        }
    }

    /// The digest length of an open handle, or `nil` for an unknown one.
    func digestLength(_ handle: HashHandle, caller: ClientHandle) -> Int? {
        tables.withLock { $0.session(handle, caller: caller)?.context.digestLength }
    }

    /// Frees a handle without finishing it, if `caller` may see it.
    func release(_ handle: HashHandle, caller: ClientHandle) {
        tables.withLock { tables in
            guard tables.session(handle, caller: caller) != nil else { return }
            tables.release(handle)
        }
    }

    /// Frees every handle `client` opened (the LOGOUT cleanup of
    /// ``FirmwareBehaviour/logoutReleasesHandles``).
    func releaseAll(openedBy client: ClientHandle) {
        tables.withLock { tables in
            tables.hashes.releaseAll { $0.client == client }
            tables.hmacs.releaseAll { $0.client == client }
        }
    }
}
