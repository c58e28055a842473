// The storage encoding of an LMS private key, for software keys kept in files (the CLI) and for
// the software Alpha's records. Secret: it holds a SEED or private values. Not an RFC 8554
// format; every integer is big-endian:
//
//   "LMSK" ‖ u32 version = 1 ‖ u32 lms type ‖ u32 lmots type ‖ I(16)
//   ‖ u32 qStart ‖ u32 qEnd ‖ u32 q ‖ u32 kind ‖ key material
//   kind 1: SEED(32); kind 2: x_q[i] for every leaf, at (q·p + i)·32

private let lmsMagic: [UInt8] = Array("LMSK".utf8)
private let formatVersion: UInt32 = 1

extension LMS.PrivateKey {
    /// The key's storage encoding, secret material included (see the format at the top of
    /// `LMSPrivateKey+Encoding.swift`). Store it encrypted or on a trusted device only.
    public var serializedRepresentation: [UInt8] {
        var out = lmsMagic
        out.appendUInt32(formatVersion)
        out.appendUInt32(parameters.lmsType.rawValue)
        out.appendUInt32(parameters.lmotsType.rawValue)
        out += identifier
        let (range, next) = rangeAndNextIndex
        out.appendUInt32(range.lowerBound)
        out.appendUInt32(range.upperBound)
        out.appendUInt32(next)
        switch context.material {
        case .seed(let seed):
            out.appendUInt32(1)
            seed.withUnsafeBytes { out += $0 }
        case .values(let values):
            out.appendUInt32(2)
            out += values.buffer
        }
        return out
    }

    /// Rebuilds a key from its storage encoding (builds the whole tree: synchronous, about
    /// 30 ms for H10/W4 on two cores).
    /// - Throws: ``HashSigError`` if the encoding is malformed.
    public convenience init(serializedRepresentation bytes: [UInt8]) throws(HashSigError) {
        var reader = ByteReader(bytes, field: .lmsPrivateKey)
        try self.init(reading: &reader)
        try reader.finish()
    }

    convenience init(reading reader: inout ByteReader) throws(HashSigError) {
        guard try reader.readBytes(4) == lmsMagic, try reader.readUInt32() == formatVersion else {
            throw .invalidPrivateKeyEncoding(.lmsPrivateKey, reason: "unknown format or version")
        }
        let lmsType = try LMSType(code: reader.readUInt32())
        let parameters = LMS.Parameters(lmsType, try LMOTSType(code: reader.readUInt32()))
        let identifier = try reader.readBytes(LMOTS.identifierLength)
        let start = try reader.readUInt32()
        let end = try reader.readUInt32()
        let next = try reader.readUInt32()
        guard start <= end else { throw .invalidLeafRange(start: start, end: end, next: next) }
        let material: LMOTSKeyMaterial
        switch try reader.readUInt32() {
        case 1:
            try reader.require(LMS.Seed.length)
            let seed = reader.bytes[reader.offset..<(reader.offset + LMS.Seed.length)]
            material = .seed(LMS.Seed(storage: SecretBytes(copying: seed)))
            try reader.skip(LMS.Seed.length)
        case 2:
            let count = Int(parameters.lmsType.leafCount) * parameters.lmotsType.p * parameters.lmotsType.n
            try reader.require(count)
            material = .values(SecretBytes(copying: reader.bytes[reader.offset..<(reader.offset + count)]))
            try reader.skip(count)
        default:
            throw .invalidPrivateKeyEncoding(.lmsPrivateKey, reason: "unknown key material kind")
        }
        try self.init(parameters: parameters, identifier: identifier, material: material,
                      leafRange: start..<end, nextLeafIndex: next, storedFloor: nil)
    }
}
