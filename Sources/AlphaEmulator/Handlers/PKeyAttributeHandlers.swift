import HalRPC

// PKEY_SET_ATTRIBUTES (27), PKEY_GET_ATTRIBUTES (28): docs/wire-protocol.md §4.3, and SX1's read-only
// range attributes and two-phase pending share (design.md, "Share-export extension").
extension AlphaServer {
    /// The SX1 range attribute types: next q, qStart, qEnd of the top tree.
    static let rangeAttributeTypes: Set<AttributeType> = [.hashsigNextIndex, .hashsigRangeStart, .hashsigRangeEnd]

    /// Count × 8 beyond the request → 29 (while decoding); count 0 → 1; unknown handle
    /// (another client's, when bound) → 21; writable(key flags) for the caller (SX1) or the
    /// opener (reference) → 26; an SX1 range attribute of a hashsig key → 26
    /// (SX1 only: ``FirmwareBehaviour/reportsRangeAttributes``); the two-phase confirmation
    /// (below); the key and its attributes no longer fitting one keystore block → 14. All or
    /// nothing.
    func pkeySetAttributes(_ args: RPC.PKeySetAttributes.Request, client: ClientHandle) throws(HALError) -> NoResults {
        guard !args.updates.isEmpty else { throw .badArguments }
        let entry = try pkeys.entry(args.pkey, caller: client)
        guard let current = keystore.record(entry.name) else { throw .keyNotFound }
        try requireMayModify(current, openedAs: entry, caller: client)
        if behaviour.reportsRangeAttributes, current.material.hashsig != nil,
           args.updates.contains(where: { Self.rangeAttributeTypes.contains($0.type) }) {
            throw .forbidden
        }
        if behaviour.holdsExportsPending, current.material.hashsig != nil,
           args.updates.contains(where: { $0.type == .hashsigPendingShare }) {
            try confirmPendingShare(entry.name, args.updates)
            return NoResults()
        }
        try keystore.update(entry.name) { (record: inout KeyRecord) throws(HALError) in
            var attributes = record.attributes
            for update in args.updates {
                attributes.removeAll { $0.type == update.type }
                if case .set(let type, let value) = update {
                    attributes.append(Attribute(type: type, value: value))
                }
            }
            guard KeystoreCapacity.fits(derLength: record.storedDERLength, attributeValueLengths: attributes.map(\.value.count)) else {
                throw .resultTooLong
            }
            record.attributes = attributes
        }
        return NoResults()
    }

    /// `4 × (1 + count)` beyond the request → 29 (while decoding);
    /// `4 × (1 + 2 × count) + buffer_len > 16372` → 29; count 0 → 1; unknown handle (another
    /// client's, when bound) → 21; a key with no attributes at all → 40, even for a length
    /// query. Length query (`buffer_len` 0): each type with its length, 0 when absent.
    /// Otherwise each type with its value; any absent → 40; more bytes than `buffer_len` → 14.
    /// Types come back in request order. SX1 adds a hashsig key's range attributes and its
    /// pending share to what is stored; the reference firmware answers only what is stored
    /// (``FirmwareBehaviour/reportsRangeAttributes``, ``FirmwareBehaviour/holdsExportsPending``). Asked for during the start-up rebuild,
    /// which spends a top leaf, the range attributes answer 49: the next index is not settled
    /// until it is done.
    func pkeyGetAttributes(_ args: RPC.PKeyGetAttributes.Request, client: ClientHandle) throws(HALError) -> RPC.PKeyGetAttributes.Reply {
        guard !RPC.PKeyGetAttributes.overflowsPacket(args) else { throw .rpcPacketOverflow }
        guard !args.types.isEmpty else { throw .badArguments }
        let record = try openKey(args.pkey, caller: client).record
        // The live range comes first: it wins over a value a reference-personality run stored
        // under the same type in this state directory.
        let reported = (behaviour.reportsRangeAttributes ? rangeAttributes(of: record) : [])
            + (behaviour.holdsExportsPending ? pendingShareAttribute(of: record) : [])
        if !reported.isEmpty, args.types.contains(where: { Self.rangeAttributeTypes.contains($0) }) {
            try hashsig.requireReady()
        }
        let attributes = reported + record.attributes
        guard !attributes.isEmpty else { throw .attributeNotFound }
        func value(_ type: AttributeType) -> [UInt8]? { attributes.first { $0.type == type }?.value }
        if args.bufferLength == 0 {
            return .lengths(args.types.map { AttributeLength(type: $0, length: UInt32(value($0)?.count ?? 0)) })
        }
        var used = 0
        var values: [Attribute] = []
        for type in args.types {
            guard let bytes = value(type) else { throw .attributeNotFound }
            used += bytes.count
            guard used <= Int(args.bufferLength) else { throw .resultTooLong }
            values.append(Attribute(type: type, value: bytes))
        }
        return .values(values)
    }

    /// SX1: a hashsig private key answers its top tree's next q, qStart and qEnd as 4-byte
    /// big-endian values.
    func rangeAttributes(of record: KeyRecord) -> [Attribute] {
        guard let hashsig = record.material.hashsig else { return [] }
        return [
            Attribute(type: .hashsigNextIndex, value: Self.word(hashsig.nextIndex)),
            Attribute(type: .hashsigRangeStart, value: Self.word(hashsig.rangeStart)),
            Attribute(type: .hashsigRangeEnd, value: Self.word(hashsig.rangeEnd)),
        ]
    }


    /// SX1 two-phase: the share a hashsig private key holds pending, `start ‖ end` (8 bytes),
    /// `0 ‖ 0` when none. Always present, so that a host can tell a board that keeps exports
    /// pending from one that does not.
    func pendingShareAttribute(of record: KeyRecord) -> [Attribute] {
        guard let hashsig = record.material.hashsig else { return [] }
        let pending = hashsig.pendingShare
        return [Attribute(type: .hashsigPendingShare, value: Self.word(pending?.start ?? 0) + Self.word(pending?.end ?? 0))]
    }

    /// SX1 two-phase: the host has stored the wrapped blob of the pending share, so the key
    /// forgets it. The request must be that one update (else 1) with an 8-byte value (else 39)
    /// naming the pending share (else 1); with nothing pending it changes nothing, so a
    /// confirmation whose reply was lost can be sent again.
    func confirmPendingShare(_ name: KeyName, _ updates: [AttributeUpdate]) throws(HALError) {
        guard updates.count == 1, case .set(_, let value) = updates[0] else { throw .badArguments }
        guard value.count == 8 else { throw .badAttributeLength }
        let start = value[0..<4].reduce(0) { $0 << 8 | UInt32($1) }
        let end = value[4..<8].reduce(0) { $0 << 8 | UInt32($1) }
        try keystore.update(name) { (record: inout KeyRecord) throws(HALError) in
            guard case .hashsig(var stored) = record.material, let pending = stored.pendingShare else { return }
            guard pending.start == start, pending.end == end else { throw .badArguments }
            stored.pendingShare = nil
            record.material = .hashsig(stored)
        }
        logger.info("hashsig pending share confirmed", metadata: ["emulator.key": "\(name)", "emulator.share": "[\(start), \(end))"])
    }

    static func word(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }
}

extension KeyRecord {
    /// Bytes of DER the keystore block holds for this key (the HSS record for hashsig keys,
    /// docs/wire-protocol.md §8.6: about 130 bytes).
    var storedDERLength: Int {
        switch material {
        case .der(let der): der.count
        case .hashsig: 130
        }
    }
}
