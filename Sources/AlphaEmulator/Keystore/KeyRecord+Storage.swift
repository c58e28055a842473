import HalRPC

// The token keystore's file format, one sealed file per key (see SealedRecord):
//
//   body = uuid(16) ‖ u32 type ‖ u32 curve ‖ u32 flags ‖ u32 owner ‖ u32 entries
//        ‖ u32 attribute count ‖ (u32 type ‖ bytes value) × count
//        ‖ u32 kind ‖ material
//   kind 1: bytes DER
//   kind 2: u32 L ‖ u32 lms ‖ u32 lmots ‖ I(16) ‖ T1(32) ‖ SEED(32) ‖ u32 exportable
//           ‖ u32 qStart ‖ u32 qEnd ‖ u32 q
//   kind 3: kind 2's fields ‖ u32 pendingStart ‖ u32 pendingEnd ‖ kekekDigest(32)
//           (a hashsig key holding an SX1 share pending; kind 2 files stay readable)
//
// `bytes` is a u32 length and the bytes. A storage format, not a wire layout.

extension KeyRecord {
    static let fileMagic = "CTKY"

    /// The record's sealed file contents.
    var sealedFile: [UInt8] {
        var body = name.bytes
        body.appendStorageUInt32(type.rawValue)
        body.appendStorageUInt32(curve.rawValue)
        body.appendStorageUInt32(flags.rawValue)
        body.appendStorageUInt32(owner.rawValue)
        body.appendStorageUInt32(UInt32(entries))
        body.appendStorageUInt32(UInt32(attributes.count))
        for attribute in attributes {
            body.appendStorageUInt32(attribute.type.rawValue)
            body.appendStorageBytes(attribute.value)
        }
        switch material {
        case .der(let der):
            body.appendStorageUInt32(1)
            body.appendStorageBytes(der)
        case .hashsig(let record):
            body.appendStorageUInt32(record.pendingShare == nil ? 2 : 3)
            body.appendStorageUInt32(record.levels)
            body.appendStorageUInt32(record.lmsType.rawValue)
            body.appendStorageUInt32(record.lmotsType.rawValue)
            body += record.identifier
            body += record.root
            body += record.seed
            body.appendStorageUInt32(record.isExportableSeed ? 1 : 0)
            body.appendStorageUInt32(record.rangeStart)
            body.appendStorageUInt32(record.rangeEnd)
            body.appendStorageUInt32(record.nextIndex)
            if let pending = record.pendingShare {
                body.appendStorageUInt32(pending.start)
                body.appendStorageUInt32(pending.end)
                body += pending.kekekDigest
            }
        }
        return SealedRecord.seal(body, magic: Self.fileMagic)
    }

    /// Parses a sealed key file.
    /// - Throws: ``StorageFormatError`` for anything malformed or inconsistent.
    init(sealedFile bytes: [UInt8]) throws(StorageFormatError) {
        var reader = StorageReader(try SealedRecord.open(bytes, magic: Self.fileMagic))
        guard let name = KeyName(bytes: try reader.fixed(16)), name != .zero else { throw .malformed("bad key name") }
        let type = KeyType(rawValue: try reader.uint32())
        let curve = Curve(rawValue: try reader.uint32())
        let flags = KeyFlags(rawValue: try reader.uint32())
        let owner = ClientHandle(rawValue: try reader.uint32())
        let entries = Int(try reader.uint32())
        let count = try reader.uint32()
        guard count <= 4096 else { throw .malformed("too many attributes") }
        var attributes: [Attribute] = []
        for _ in 0..<count {
            let type = AttributeType(rawValue: try reader.uint32())
            attributes.append(Attribute(type: type, value: try reader.bytes(maximum: 1 << 16)))
        }
        let material: StoredMaterial
        switch try reader.uint32() {
        case 1:
            material = .der(try reader.bytes())
        case let kind where kind == 2 || kind == 3:
            let levels = try reader.uint32()
            let lms = LMSTypeCode(rawValue: try reader.uint32())
            let lmots = LMOTSTypeCode(rawValue: try reader.uint32())
            let identifier = try reader.fixed(16)
            let root = try reader.fixed(32)
            let seed = try reader.fixed(32)
            let exportable = try reader.uint32() == 1
            let start = try reader.uint32()
            let end = try reader.uint32()
            let next = try reader.uint32()
            guard (1...8).contains(levels), start <= end, next >= start, next <= end else {
                throw .malformed("inconsistent hashsig state")
            }
            var pending: PendingShare?
            if kind == 3 {
                let share = PendingShare(start: try reader.uint32(), end: try reader.uint32(), kekekDigest: try reader.fixed(32))
                // The share was cut from the top of the range: it starts where the range ends.
                guard share.start == end, share.start < share.end else { throw .malformed("inconsistent pending share") }
                pending = share
            }
            material = .hashsig(HashsigKeyRecord(
                levels: levels, lmsType: lms, lmotsType: lmots, identifier: identifier, root: root,
                seed: seed, isExportableSeed: exportable, rangeStart: start, rangeEnd: end, nextIndex: next,
                pendingShare: pending))
        default:
            throw .malformed("unknown key material kind")
        }
        try reader.finish()
        self.init(name: name, type: type, curve: curve, flags: flags, material: material,
                  attributes: attributes, owner: owner, entries: entries)
    }
}
