extension DER {
    /// Builds DER, always in the shortest form the reader insists on.
    ///
    ///     var writer = DER.Writer()
    ///     writer.appendSequence { spki in
    ///         DER.AlgorithmIdentifier(.mtsHashSig, parameters: .null).append(to: &spki)
    ///         spki.appendBitString(key)
    ///     }
    ///     let der = writer.bytes
    public struct Writer: Sendable {
        /// Everything appended so far.
        public private(set) var bytes: [UInt8] = []

        /// An empty writer.
        public init() {}

        /// Appends one element.
        /// - Parameters:
        ///   - tag: a single-byte tag.
        ///   - content: its content octets.
        public mutating func appendElement(tag: UInt8, content: some Collection<UInt8>) {
            bytes.append(tag)
            appendLength(content.count)
            bytes.append(contentsOf: content)
        }

        /// Appends an already encoded element (or several) unchanged.
        public mutating func appendEncoded(_ der: some Collection<UInt8>) {
            bytes.append(contentsOf: der)
        }

        /// Appends a SEQUENCE whose contents `body` writes.
        public mutating func appendSequence(_ body: (inout Writer) throws -> Void) rethrows {
            var contents = Writer()
            try body(&contents)
            appendElement(tag: DER.Tag.sequence, content: contents.bytes)
        }

        /// Appends a non-negative INTEGER.
        /// - Parameter magnitude: big-endian magnitude; leading zero octets are dropped and an
        ///   empty magnitude is zero.
        public mutating func appendUnsignedInteger(_ magnitude: some Collection<UInt8>) {
            var digits = Array(magnitude.drop { $0 == 0 })
            // X.690 §8.3: a set top bit would read as negative, so prefix a zero octet.
            if digits.first.map({ $0 & 0x80 != 0 }) ?? true { digits.insert(0, at: 0) }
            appendElement(tag: DER.Tag.integer, content: digits)
        }

        /// Appends a non-negative INTEGER.
        public mutating func appendInteger(_ value: UInt64) {
            let magnitude = (0..<8).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
            appendUnsignedInteger(magnitude)
        }

        /// Appends an OCTET STRING.
        public mutating func appendOctetString(_ value: some Collection<UInt8>) {
            appendElement(tag: DER.Tag.octetString, content: value)
        }

        /// Appends a BIT STRING holding whole bytes (no unused bits).
        public mutating func appendBitString(_ value: some Collection<UInt8>) {
            appendElement(tag: DER.Tag.bitString, content: [0] + Array(value))
        }

        /// Appends an OBJECT IDENTIFIER.
        public mutating func appendObjectIdentifier(_ oid: DER.OID) {
            appendElement(tag: DER.Tag.objectIdentifier, content: oid.contentBytes)
        }

        /// Appends a NULL.
        public mutating func appendNull() {
            bytes += [DER.Tag.null, 0x00]
        }

        /// X.690 §10.1: short form below 128, otherwise the fewest length octets.
        private mutating func appendLength(_ length: Int) {
            if length < 0x80 {
                bytes.append(UInt8(length))
                return
            }
            var octets: [UInt8] = []
            var rest = length
            while rest > 0 {
                octets.insert(UInt8(truncatingIfNeeded: rest), at: 0)
                rest >>= 8
            }
            bytes.append(0x80 | UInt8(octets.count))
            bytes += octets
        }
    }

    /// The DER of a SEQUENCE whose contents `body` writes.
    public static func sequence(_ body: (inout Writer) throws -> Void) rethrows -> [UInt8] {
        var writer = Writer()
        try writer.appendSequence(body)
        return writer.bytes
    }
}
