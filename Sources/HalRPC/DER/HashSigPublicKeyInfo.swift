/// A hashsig (HSS/LMS) public key as the board encodes it: a SubjectPublicKeyInfo with
/// id-alg-mts-hashsig and NULL parameters whose BIT STRING holds
/// `SEQUENCE { INTEGER L, INTEGER lms_type, INTEGER lmots_type, OCTET STRING I(16), OCTET STRING
/// T1(32) }` (docs/wire-protocol.md §8.2).
///
/// This is neither the raw RFC 8554 key nor RFC 8708 (which puts the raw 60 bytes in the BIT
/// STRING and omits the parameters); ``rawPublicKey`` converts to the RFC 8554 form that
/// `HSS.PublicKey(bytes:)` verifies with.
///
///     30 53 30 0F 06 0B <id-alg-mts-hashsig> 05 00 03 40 00
///           30 3D 02 01 LL 02 01 TT 02 01 OO 04 10 <I> 04 20 <T1>
public struct HashSigPublicKeyInfo: Hashable, Sendable {
    /// Length of ``der`` for every defined parameter set (all integers below 128).
    public static let derLength = 85
    /// Length of the RFC 8554 HSS public key `u32 L ‖ u32 lms_type ‖ u32 lmots_type ‖ I ‖ T1`.
    public static let rawLength = 60
    /// Length of `I`.
    public static let identifierLength = 16
    /// Length of the root `T[1]`.
    public static let rootLength = 32

    /// L, the number of HSS levels.
    public let levels: UInt32
    /// The top tree's LMS type.
    public let lmsType: LMSTypeCode
    /// The top tree's LM-OTS type.
    public let lmotsType: LMOTSTypeCode
    /// `I`, the top tree's identifier (16 bytes).
    public let identifier: [UInt8]
    /// `T[1]`, the top tree's root (32 bytes).
    public let root: [UInt8]

    /// Makes a key info from its fields. Values are not checked against the defined parameter
    /// sets: that is the verifier's job.
    /// - Throws: ``DERError/unexpectedValue(_:)`` if `identifier` is not 16 bytes or `root` not
    ///   32.
    public init(levels: UInt32, lmsType: LMSTypeCode, lmotsType: LMOTSTypeCode, identifier: [UInt8], root: [UInt8]) throws(DERError) {
        guard identifier.count == Self.identifierLength else {
            throw .unexpectedValue("hashsig I is \(identifier.count) bytes, expected \(Self.identifierLength)")
        }
        guard root.count == Self.rootLength else {
            throw .unexpectedValue("hashsig root T1 is \(root.count) bytes, expected \(Self.rootLength)")
        }
        self.levels = levels
        self.lmsType = lmsType
        self.lmotsType = lmotsType
        self.identifier = identifier
        self.root = root
    }

    /// Parses the board's encoding. Like the reference at PKEY_LOAD, the AlgorithmIdentifier's
    /// parameters may be NULL or absent (§8.2).
    /// - Throws: ``DERError`` for malformed DER, another algorithm, parameters other than NULL,
    ///   integers above `UInt32.max`, `I` or `T1` of the wrong length, or trailing bytes at
    ///   either level (so a raw RFC 8708 key in the BIT STRING is refused).
    public init(der: [UInt8]) throws(DERError) {
        let info = try DER.SubjectPublicKeyInfo(der: der)
        guard info.algorithm.algorithm == .mtsHashSig else {
            throw .unexpectedValue("algorithm \(info.algorithm.algorithm) is not id-alg-mts-hashsig")
        }
        guard info.algorithm.hasNoParameters else {
            throw .unexpectedValue("id-alg-mts-hashsig with parameters other than NULL")
        }
        var reader = DER.Reader(info.publicKey)
        self = try reader.readSequence { (fields) throws(DERError) in
            let max = UInt64(UInt32.max)
            let levels = UInt32(try fields.readInteger(maximum: max))
            let lmsType = LMSTypeCode(rawValue: UInt32(try fields.readInteger(maximum: max)))
            let lmotsType = LMOTSTypeCode(rawValue: UInt32(try fields.readInteger(maximum: max)))
            let identifier = try fields.readOctetString(count: Self.identifierLength, field: "hashsig I")
            let root = try fields.readOctetString(count: Self.rootLength, field: "hashsig root T1")
            return try HashSigPublicKeyInfo(levels: levels, lmsType: lmsType, lmotsType: lmotsType, identifier: identifier, root: root)
        }
        try reader.finish()
    }

    /// The board's encoding: explicit NULL parameters, 85 bytes for every defined parameter set.
    public var der: [UInt8] {
        let key = DER.sequence { fields in
            fields.appendInteger(UInt64(levels))
            fields.appendInteger(UInt64(lmsType.rawValue))
            fields.appendInteger(UInt64(lmotsType.rawValue))
            fields.appendOctetString(identifier)
            fields.appendOctetString(root)
        }
        let algorithm = DER.AlgorithmIdentifier(.mtsHashSig, parameters: .null)
        return DER.SubjectPublicKeyInfo(algorithm: algorithm, publicKey: key).der
    }

    /// Reads the RFC 8554 HSS public key `u32 L ‖ u32 lms_type ‖ u32 lmots_type ‖ I ‖ T1`
    /// (RFC 8554 §6.1 with the SHA-256 parameter sets; docs/wire-protocol.md §8.2).
    /// - Throws: ``DERError/unexpectedValue(_:)`` unless `rawPublicKey` is exactly 60 bytes.
    public init(rawPublicKey raw: [UInt8]) throws(DERError) {
        guard raw.count == Self.rawLength else {
            throw .unexpectedValue("HSS public key is \(raw.count) bytes, expected \(Self.rawLength)")
        }
        func word(_ at: Int) -> UInt32 { raw[at..<(at + 4)].reduce(0) { $0 << 8 | UInt32($1) } }
        try self.init(levels: word(0), lmsType: LMSTypeCode(rawValue: word(4)), lmotsType: LMOTSTypeCode(rawValue: word(8)),
                      identifier: Array(raw[12..<28]), root: Array(raw[28..<60]))
    }

    /// The RFC 8554 HSS public key (60 bytes).
    public var rawPublicKey: [UInt8] {
        var raw: [UInt8] = []
        raw.reserveCapacity(Self.rawLength)
        for word in [levels, lmsType.rawValue, lmotsType.rawValue] {
            raw += [UInt8(word >> 24), UInt8(truncatingIfNeeded: word >> 16), UInt8(truncatingIfNeeded: word >> 8), UInt8(truncatingIfNeeded: word)]
        }
        return raw + identifier + root
    }
}
