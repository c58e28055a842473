extension DER {
    /// `AlgorithmIdentifier ::= SEQUENCE { algorithm OBJECT IDENTIFIER, parameters ANY OPTIONAL }`
    /// (RFC 5280 §4.1.1.2).
    public struct AlgorithmIdentifier: Hashable, Sendable {
        /// The optional parameters field.
        public enum Parameters: Hashable, Sendable {
            /// No parameters field at all (the §9.2 wrapping OIDs, RFC 8708).
            case absent
            /// An explicit NULL (RSA, the hash algorithms as the board encodes them, §7).
            case null
            /// An OBJECT IDENTIFIER, such as an EC named curve (RFC 5480 §2.1.1).
            case objectIdentifier(DER.OID)
            /// Any other element, kept as its whole encoding (tag, length, contents).
            case other([UInt8])
        }

        /// The algorithm's OBJECT IDENTIFIER: what kind of key or wrapping the surrounding structure
        /// holds.
        public var algorithm: DER.OID
        /// The parameters field; which form is right depends on the algorithm (for EC, the curve).
        public var parameters: Parameters

        /// An identifier for `algorithm` with `parameters`.
        public init(_ algorithm: DER.OID, parameters: Parameters) {
            self.algorithm = algorithm
            self.parameters = parameters
        }

        /// Reads an AlgorithmIdentifier SEQUENCE from `reader`.
        /// - Throws: ``DERError`` if it is malformed or has more than two fields.
        public init(from reader: inout DER.Reader) throws(DERError) {
            (algorithm, parameters) = try reader.readSequence { (fields) throws(DERError) in
                let algorithm = try fields.readObjectIdentifier()
                let parameters: Parameters
                switch fields.nextTag {
                case nil: parameters = .absent
                case DER.Tag.null?:
                    try fields.readNull()
                    parameters = .null
                case DER.Tag.objectIdentifier?:
                    parameters = .objectIdentifier(try fields.readObjectIdentifier())
                default:
                    parameters = .other(Array(try fields.readElement().encoded))
                }
                return (algorithm, parameters)
            }
        }

        /// Whether the parameters are NULL or absent: what the board accepts for RSA keys, the
        /// hashsig OID and the §9.3 wrapping OIDs.
        public var hasNoParameters: Bool {
            parameters == .absent || parameters == .null
        }

        /// Appends the SEQUENCE to `writer`.
        public func append(to writer: inout DER.Writer) {
            writer.appendSequence { fields in
                fields.appendObjectIdentifier(algorithm)
                switch parameters {
                case .absent: break
                case .null: fields.appendNull()
                case .objectIdentifier(let oid): fields.appendObjectIdentifier(oid)
                case .other(let encoded): fields.appendEncoded(encoded)
                }
            }
        }

        /// The DER encoding.
        public var der: [UInt8] {
            var writer = DER.Writer()
            append(to: &writer)
            return writer.bytes
        }
    }
}
