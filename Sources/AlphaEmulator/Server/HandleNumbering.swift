/// How a board numbers its handles.
///
/// The reference firmware (docs/wire-protocol.md §5.2): slot index in the low 16 bits, a counter in the
/// next 15, and a flag in the top bit (token key, or HMAC). The counter goes up before use and
/// wraps modulo 0x7FFF, so the first handle of a fresh board is `0x00010000` (or `0x80010000`
/// for a token key); matching those numbers keeps traces and golden vectors (G5) comparable.
///
/// SX1 (``FirmwareBehaviour/unpredictableHandles``): 31 bits from the system's cryptographic
/// generator under the same top-bit flag, so knowing one's own handles says nothing about
/// anyone else's (§13.19). Clients must treat handles as opaque either way.
struct HandleNumbering: Sendable {
    private let unpredictable: Bool
    private var counter: UInt32 = 0

    init(unpredictable: Bool = false) {
        self.unpredictable = unpredictable
    }

    /// The handle word for `slot`, with the top bit set when `flagged`; never 0, and never a
    /// value `isTaken` reports (random values are drawn again; sequential ones cannot collide,
    /// the slot being free).
    mutating func next(slot: Int, flagged: Bool, isTaken: (UInt32) -> Bool = { _ in false }) -> UInt32 {
        let flag: UInt32 = flagged ? 0x8000_0000 : 0
        guard unpredictable else {
            counter += 1
            let value = UInt32(slot) | counter << 16 | flag
            counter %= 0x7FFF
            return value
        }
        var generator = SystemRandomNumberGenerator()
        while true {
            let value = UInt32.random(in: 1...0x7FFF_FFFF, using: &generator) | flag
            if !isTaken(value) { return value }
        }
    }
}

/// A fixed number of slots, each free or holding one entry under its handle.
struct SlotTable<Entry> {
    private var slots: [(handle: UInt32, entry: Entry)?]
    /// Handle → slot of every entry.
    private var index: [UInt32: Int] = [:]
    private var numbering: HandleNumbering

    init(capacity: Int, unpredictable: Bool = false) {
        slots = Array(repeating: nil, count: capacity)
        numbering = HandleNumbering(unpredictable: unpredictable)
    }

    /// Puts `entry` in the first free slot.
    /// - Returns: its handle, or `nil` when every slot is taken.
    mutating func allocate(_ entry: Entry, flagged: Bool) -> UInt32? {
        guard let slot = slots.firstIndex(where: { $0 == nil }) else { return nil }
        let handle = numbering.next(slot: slot, flagged: flagged) { [index] in index[$0] != nil }
        slots[slot] = (handle, entry)
        index[handle] = slot
        return handle
    }

    /// The entry whose handle is exactly `handle`.
    func entry(_ handle: UInt32) -> Entry? {
        index[handle].flatMap { slots[$0]?.entry }
    }

    /// Frees the slot of `handle`; returns its entry.
    @discardableResult
    mutating func release(_ handle: UInt32) -> Entry? {
        guard let slot = index.removeValue(forKey: handle) else { return nil }
        defer { slots[slot] = nil }
        return slots[slot]?.entry
    }

    /// Frees every slot whose entry satisfies `predicate`.
    mutating func releaseAll(where predicate: (Entry) -> Bool) {
        for slot in slots.indices {
            guard let value = slots[slot], predicate(value.entry) else { continue }
            index[value.handle] = nil
            slots[slot] = nil
        }
    }

    /// Handles and entries in use.
    var entries: [(handle: UInt32, entry: Entry)] { slots.compactMap { $0 } }
}

extension SlotTable: Sendable where Entry: Sendable {}
