/// The firmware's handle numbering (rpc-wire.md §5.2): slot index in the low 16 bits, a
/// counter in the next 15, and a flag in the top bit (token key, or HMAC). The counter goes up
/// before use and wraps modulo 0x7FFF, so the first handle of a fresh board is `0x00010000`
/// (or `0x80010000` for a token key).
///
/// Clients must treat handles as opaque; matching the board's numbers keeps traces and golden
/// vectors (G5) comparable.
struct HandleNumbering: Sendable {
    private var counter: UInt32 = 0

    /// The handle word for `slot`, with the top bit set when `flagged`.
    mutating func next(slot: Int, flagged: Bool) -> UInt32 {
        counter += 1
        let value = UInt32(slot) | counter << 16 | (flagged ? 0x8000_0000 : 0)
        counter %= 0x7FFF
        return value
    }
}

/// A fixed number of slots, each free or holding one entry, numbered the firmware's way.
struct SlotTable<Entry> {
    private var slots: [(handle: UInt32, entry: Entry)?]
    private var numbering = HandleNumbering()

    init(capacity: Int) {
        slots = Array(repeating: nil, count: capacity)
    }

    /// Puts `entry` in the first free slot.
    /// - Returns: its handle, or `nil` when every slot is taken.
    mutating func allocate(_ entry: Entry, flagged: Bool) -> UInt32? {
        guard let slot = slots.firstIndex(where: { $0 == nil }) else { return nil }
        let handle = numbering.next(slot: slot, flagged: flagged)
        slots[slot] = (handle, entry)
        return handle
    }

    /// The entry whose handle is exactly `handle`.
    func entry(_ handle: UInt32) -> Entry? {
        guard let slot = slot(of: handle) else { return nil }
        return slots[slot]?.entry
    }

    /// Changes the entry of `handle` in place; `false` if there is none.
    @discardableResult
    mutating func modify(_ handle: UInt32, _ body: (inout Entry) -> Void) -> Bool {
        guard let slot = slot(of: handle), var value = slots[slot] else { return false }
        body(&value.entry)
        slots[slot] = value
        return true
    }

    /// Frees the slot of `handle`; returns its entry.
    @discardableResult
    mutating func release(_ handle: UInt32) -> Entry? {
        guard let slot = slot(of: handle) else { return nil }
        defer { slots[slot] = nil }
        return slots[slot]?.entry
    }

    /// Frees every slot whose entry satisfies `predicate`.
    mutating func releaseAll(where predicate: (Entry) -> Bool) {
        for index in slots.indices where slots[index].map({ predicate($0.entry) }) == true {
            slots[index] = nil
        }
    }

    /// Handles and entries in use.
    var entries: [(handle: UInt32, entry: Entry)] { slots.compactMap { $0 } }

    private func slot(of handle: UInt32) -> Int? {
        let slot = Int(handle & 0xFFFF)
        guard slot < slots.count, let value = slots[slot], value.handle == handle else { return nil }
        return slot
    }
}

extension SlotTable: Sendable where Entry: Sendable {}
