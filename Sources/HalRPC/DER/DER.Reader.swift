extension DER {
    /// Reads DER elements one after another from a byte buffer, strictly.
    ///
    /// A reader covers a window of the buffer; ``readSequence()`` returns a reader for the
    /// sequence's contents (no copy), so a structure is read the way it is nested:
    ///
    ///     var outer = DER.Reader(bytes)
    ///     var spki = try outer.readSequence()
    ///     try outer.finish()                              // nothing after the SEQUENCE
    ///     let algorithm = try DER.AlgorithmIdentifier(from: &spki)
    ///     let key = try spki.readBitString()
    ///     try spki.finish()
    ///
    /// Error offsets count from the start of the buffer the outermost reader was made with.
    public struct Reader: Sendable {
        private let bytes: [UInt8]
        /// Absolute index of the next unread byte.
        public private(set) var offset: Int
        /// Absolute index one past the last byte of this reader's window.
        private let end: Int

        /// A reader over all of `bytes`.
        public init(_ bytes: [UInt8]) {
            self.bytes = bytes
            self.offset = 0
            self.end = bytes.count
        }

        private init(bytes: [UInt8], start: Int, end: Int) {
            self.bytes = bytes
            self.offset = start
            self.end = end
        }

        /// Whether every byte of the window has been read.
        public var isAtEnd: Bool { offset == end }

        /// The tag of the next element, or `nil` at the end.
        public var nextTag: UInt8? { offset < end ? bytes[offset] : nil }

        /// Requires the window to be used up.
        /// - Throws: ``DERError/trailingBytes(offset:count:)`` if bytes are left.
        public func finish() throws(DERError) {
            guard offset == end else { throw .trailingBytes(offset: offset, count: end - offset) }
        }

        /// Reads the next element whatever its tag.
        /// - Returns: its tag, its content octets and the whole encoding (tag, length, contents).
        /// - Throws: ``DERError`` for a truncated element, a high tag number, an indefinite,
        ///   non-minimal or oversized length.
        public mutating func readElement() throws(DERError) -> (tag: UInt8, content: ArraySlice<UInt8>, encoded: ArraySlice<UInt8>) {
            let start = offset
            guard end - offset >= 2 else { throw .truncated(offset: start) }
            let tag = bytes[offset]
            guard tag & 0x1F != 0x1F else { throw .unsupportedTag(offset: start, tag: tag) }
            let first = bytes[offset + 1]
            var position = offset + 2
            let length: Int
            if first < 0x80 {
                length = Int(first)
            } else {
                let count = Int(first & 0x7F)
                if count == 0 { throw .indefiniteLength(offset: start) }
                guard count <= DER.maximumLengthOctets else { throw .lengthTooLarge(offset: start) }
                guard end - position >= count else { throw .truncated(offset: start) }
                // X.690 §10.1: the fewest octets, so no leading zero and no long form below 128.
                guard bytes[position] != 0 else { throw .nonMinimalLength(offset: start) }
                var value: UInt64 = 0
                for index in position..<(position + count) { value = value << 8 | UInt64(bytes[index]) }
                guard value >= 0x80 else { throw .nonMinimalLength(offset: start) }
                position += count
                // Compared before converting, so that no length can overflow an Int.
                guard value <= UInt64(end - position) else { throw .truncated(offset: start) }
                length = Int(value)
            }
            guard length <= end - position else { throw .truncated(offset: start) }
            offset = position + length
            return (tag, bytes[position..<offset], bytes[start..<offset])
        }

        /// Reads the next element, which must have tag `tag`.
        /// - Returns: its content octets.
        /// - Throws: ``DERError/unexpectedTag(offset:expected:found:)`` or a framing error.
        public mutating func readElement(tag: UInt8) throws(DERError) -> ArraySlice<UInt8> {
            let start = offset
            if let found = nextTag, found != tag {
                throw .unexpectedTag(offset: start, expected: tag, found: found)
            }
            return try readElement().content
        }

        /// Reads a SEQUENCE and returns a reader over its contents. Call ``finish()`` on it when
        /// its last field has been read.
        /// - Throws: ``DERError`` if the next element is not a well-framed SEQUENCE.
        public mutating func readSequence() throws(DERError) -> Reader {
            let content = try readElement(tag: DER.Tag.sequence)
            return Reader(bytes: bytes, start: content.startIndex, end: content.endIndex)
        }

        /// Reads a SEQUENCE with `body`, which must read all of its contents.
        /// - Throws: whatever `body` throws; ``DERError/trailingBytes(offset:count:)`` if it
        ///   leaves contents unread.
        public mutating func readSequence<T>(_ body: (inout Reader) throws(DERError) -> T) throws(DERError) -> T {
            var contents = try readSequence()
            let value = try body(&contents)
            try contents.finish()
            return value
        }

        /// Reads a non-negative INTEGER.
        /// - Returns: its big-endian magnitude without leading zero octets; zero is `[0]`.
        /// - Throws: ``DERError/invalidInteger(offset:)`` for an empty, non-minimal or negative
        ///   INTEGER.
        public mutating func readUnsignedInteger() throws(DERError) -> [UInt8] {
            let start = offset
            let content = try readElement(tag: DER.Tag.integer)
            guard let first = content.first else { throw .invalidInteger(offset: start) }
            // X.690 §8.3.2: the first nine bits may not all be zero (nor all one, but negative
            // values are refused below anyway).
            if content.count > 1, first == 0x00, content[content.startIndex + 1] & 0x80 == 0 {
                throw .invalidInteger(offset: start)
            }
            guard first & 0x80 == 0 else { throw .invalidInteger(offset: start) }
            return content.count > 1 && first == 0 ? Array(content.dropFirst()) : Array(content)
        }

        /// Reads a non-negative INTEGER no larger than `maximum`.
        /// - Throws: ``DERError/integerTooLarge(offset:)`` above `maximum`, otherwise as
        ///   ``readUnsignedInteger()``.
        public mutating func readInteger(maximum: UInt64 = .max) throws(DERError) -> UInt64 {
            let start = offset
            let magnitude = try readUnsignedInteger()
            guard magnitude.count <= 8 else { throw .integerTooLarge(offset: start) }
            let value = magnitude.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            guard value <= maximum else { throw .integerTooLarge(offset: start) }
            return value
        }

        /// Reads an OCTET STRING (primitive form).
        public mutating func readOctetString() throws(DERError) -> [UInt8] {
            Array(try readElement(tag: DER.Tag.octetString))
        }

        /// Reads an OCTET STRING that must be exactly `count` bytes long.
        /// - Parameters:
        ///   - count: the length the structure fixes (a hash, a seed, an identifier).
        ///   - field: what it holds, for the error message.
        /// - Throws: ``DERError/unexpectedValue(_:)`` for another length.
        public mutating func readOctetString(count: Int, field: String) throws(DERError) -> [UInt8] {
            let value = try readOctetString()
            guard value.count == count else {
                throw .unexpectedValue("\(field) is \(value.count) bytes, expected \(count)")
            }
            return value
        }

        /// Reads a BIT STRING with no unused bits and returns its bytes (after the unused-bits
        /// octet).
        /// - Throws: ``DERError/invalidBitString(offset:)`` if it is empty or has unused bits.
        public mutating func readBitString() throws(DERError) -> [UInt8] {
            let start = offset
            let content = try readElement(tag: DER.Tag.bitString)
            guard content.first == 0 else { throw .invalidBitString(offset: start) }
            return Array(content.dropFirst())
        }

        /// Reads an OBJECT IDENTIFIER.
        /// - Throws: ``DERError/invalidObjectIdentifier(offset:)`` for malformed contents.
        public mutating func readObjectIdentifier() throws(DERError) -> DER.OID {
            let start = offset
            let content = try readElement(tag: DER.Tag.objectIdentifier)
            guard DER.OID.isValid(content) else { throw .invalidObjectIdentifier(offset: start) }
            return DER.OID(uncheckedContentBytes: Array(content))
        }

        /// Reads a NULL.
        /// - Throws: ``DERError/invalidNull(offset:)`` if it has contents.
        public mutating func readNull() throws(DERError) {
            let start = offset
            guard try readElement(tag: DER.Tag.null).isEmpty else { throw .invalidNull(offset: start) }
        }
    }
}
