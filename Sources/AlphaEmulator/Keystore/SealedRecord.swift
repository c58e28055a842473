import COpenSSL

/// The envelope of every file in the state directory: a 4-byte magic, a format version, the
/// body, and the SHA-256 of everything before it. A file whose digest does not match (a torn
/// write from outside the atomic path, a flipped bit, a truncated copy) is refused, so it is
/// reported and skipped, never silently used.
///
/// Storage format only (not a wire layout); integers are big-endian.
enum SealedRecord {
    static let version: UInt32 = 1
    static let digestLength = 32

    /// `magic ‖ u32 version ‖ body ‖ SHA-256(all before)`.
    static func seal(_ body: [UInt8], magic: String) -> [UInt8] {
        var out = Array(magic.utf8)
        precondition(out.count == 4)
        out.appendStorageUInt32(version)
        out += body
        out += sha256(out)
        return out
    }

    /// The body of a sealed file.
    /// - Throws: ``StorageFormatError`` for a wrong magic, version or digest.
    static func open(_ bytes: [UInt8], magic: String) throws(StorageFormatError) -> [UInt8] {
        let header = 8
        guard bytes.count >= header + digestLength else { throw .malformed("file too short") }
        let contents = Array(bytes[0..<(bytes.count - digestLength)])
        guard sha256(contents) == Array(bytes[(bytes.count - digestLength)...]) else {
            throw .malformed("checksum mismatch")
        }
        guard Array(contents[0..<4]) == Array(magic.utf8) else { throw .malformed("not a \(magic) file") }
        var reader = StorageReader(Array(contents[4...]))
        guard try reader.uint32() == version else { throw .malformed("unknown format version") }
        return Array(contents[header...])
    }

    static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: digestLength)
        bytes.withUnsafeBytes { input in
            digest.withUnsafeMutableBytes { output in
                _ = SHA256(input.baseAddress?.assumingMemoryBound(to: UInt8.self), input.count,
                           output.baseAddress!.assumingMemoryBound(to: UInt8.self))
            }
        }
        return digest
    }
}

/// A state file that does not parse.
struct StorageFormatError: Error, CustomStringConvertible {
    var reason: String
    static func malformed(_ reason: String) -> StorageFormatError { StorageFormatError(reason: reason) }
    var description: String { reason }
}

/// Reads the state directory's storage format.
struct StorageReader {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isAtEnd: Bool { offset == bytes.count }

    mutating func uint32() throws(StorageFormatError) -> UInt32 {
        guard bytes.count - offset >= 4 else { throw .malformed("truncated") }
        defer { offset += 4 }
        return bytes[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// A `u32` length and that many bytes.
    mutating func bytes(maximum: Int = 1 << 26) throws(StorageFormatError) -> [UInt8] {
        let count = Int(try uint32())
        guard count <= maximum, bytes.count - offset >= count else { throw .malformed("truncated") }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    /// Exactly `count` bytes without a length.
    mutating func fixed(_ count: Int) throws(StorageFormatError) -> [UInt8] {
        guard bytes.count - offset >= count else { throw .malformed("truncated") }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    func finish() throws(StorageFormatError) {
        guard isAtEnd else { throw .malformed("trailing bytes") }
    }
}

extension Array where Element == UInt8 {
    mutating func appendStorageUInt32(_ value: UInt32) {
        append(UInt8(truncatingIfNeeded: value >> 24))
        append(UInt8(truncatingIfNeeded: value >> 16))
        append(UInt8(truncatingIfNeeded: value >> 8))
        append(UInt8(truncatingIfNeeded: value))
    }

    mutating func appendStorageBytes(_ bytes: [UInt8]) {
        appendStorageUInt32(UInt32(bytes.count))
        append(contentsOf: bytes)
    }
}
