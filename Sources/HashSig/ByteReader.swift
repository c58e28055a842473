/// A cursor over an encoding that throws a typed error when the input is too short.
///
/// Every RFC 8554 length follows from type codes read earlier, so the parsers ask for exact
/// counts and call ``finish()`` to refuse trailing bytes.
struct ByteReader {
    let bytes: [UInt8]
    let field: HashSigField
    private(set) var offset: Int

    init(_ bytes: [UInt8], field: HashSigField, offset: Int = 0) {
        self.bytes = bytes
        self.field = field
        self.offset = offset
    }

    var remaining: Int { bytes.count - offset }

    /// Throws unless `count` more bytes are present; the error names the full length needed.
    func require(_ count: Int, field: HashSigField? = nil) throws(HashSigError) {
        guard count <= remaining else {
            throw .truncated(field ?? self.field, needed: offset + count, available: bytes.count)
        }
    }

    mutating func readUInt32() throws(HashSigError) -> UInt32 {
        try require(4)
        let value = bytes.readUInt32(at: offset)
        offset += 4
        return value
    }

    mutating func readBytes(_ count: Int, field: HashSigField? = nil) throws(HashSigError) -> [UInt8] {
        try require(count, field: field)
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }

    /// Consumes `count` bytes that the caller has read in place (secrets are not copied into
    /// a temporary array).
    mutating func skip(_ count: Int) throws(HashSigError) {
        try require(count)
        offset += count
    }

    /// Throws ``HashSigError/trailingBytes(_:count:)`` if anything is left.
    func finish() throws(HashSigError) {
        guard remaining == 0 else { throw .trailingBytes(field, count: remaining) }
    }
}

extension Array where Element == UInt8 {
    /// The big-endian 32-bit value at `offset` (RFC 8554 §3.1.3 u32str, inverted).
    func readUInt32(at offset: Int) -> UInt32 {
        UInt32(self[offset]) << 24 | UInt32(self[offset + 1]) << 16
            | UInt32(self[offset + 2]) << 8 | UInt32(self[offset + 3])
    }

    /// Appends `value` big-endian (RFC 8554 §3.1.3 u32str).
    mutating func appendUInt32(_ value: UInt32) {
        append(UInt8(truncatingIfNeeded: value >> 24))
        append(UInt8(truncatingIfNeeded: value >> 16))
        append(UInt8(truncatingIfNeeded: value >> 8))
        append(UInt8(truncatingIfNeeded: value))
    }

    /// Appends `value` big-endian (RFC 8554 §3.1.3 u16str).
    mutating func appendUInt16(_ value: UInt16) {
        append(UInt8(truncatingIfNeeded: value >> 8))
        append(UInt8(truncatingIfNeeded: value))
    }
}

/// Checks the length of a fixed-size field given to an initialiser.
func checkLength(_ bytes: [UInt8], _ expected: Int, _ field: HashSigField) throws(HashSigError) {
    guard bytes.count == expected else {
        throw .invalidLength(field, expected: expected, actual: bytes.count)
    }
}
