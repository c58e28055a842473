import HalRPC

/// The board's stored HSS private key record (key type HASHSIG_PRIVATE), which is also what an
/// exported share carries (docs/wire-protocol.md §8.6, §8.7): a PKCS#8 PrivateKeyInfo with
/// id-alg-mts-hashsig and NULL parameters whose privateKey OCTET STRING holds
///
///     SEQUENCE { INTEGER L, INTEGER lms_type, INTEGER lmots_type, OCTET STRING I (16),
///                OCTET STRING T1 (32), OCTET STRING SEED (32), INTEGER q_start, INTEGER q_end }
///
/// with minimal unsigned INTEGERs. Example: L = 2, H5/W8, q_start 16, q_end 32 is 127 bytes,
/// `30 7D 02 01 00 30 0F 06 0B 2A 86 48 86 F7 0D 01 09 10 03 11 05 00 04 67 30 65 02 01 02 …`.
///
/// The SEED is secret (it derives every top-level one-time key of an exportable key, §8.8);
/// equality compares it in constant time.
public struct HashSigPrivateKeyRecord: Equatable, Sendable {
    /// The public part: L, the types, `I` and the root `T[1]`, as PKEY_GET_PUBLIC_KEY returns
    /// it (§8.2).
    public let publicKeyInfo: HashSigPublicKeyInfo
    /// L, the number of HSS levels.
    public var levels: UInt32 { publicKeyInfo.levels }
    /// The LMS type (every level).
    public var lmsType: LMSTypeCode { publicKeyInfo.lmsType }
    /// The LM-OTS type (every level).
    public var lmotsType: LMOTSTypeCode { publicKeyInfo.lmotsType }
    /// `I` of the top tree (16 bytes).
    public var identifier: [UInt8] { publicKeyInfo.identifier }
    /// The top tree's root `T[1]` (32 bytes).
    public var root: [UInt8] { publicKeyInfo.root }
    /// The SEED of the top tree's pseudorandom one-time keys (32 bytes; all zero for a key
    /// that is not exportable, §8.5).
    public let seed: [UInt8]
    /// The first top-level leaf this record may use.
    public var qStart: UInt32
    /// One past the last top-level leaf this record may use.
    public var qEnd: UInt32

    /// Makes a record from its fields. Values are not checked against the parameter sets or
    /// each other: PKEY_GENERATE_HASHSIG and PKEY_IMPORT do that in their own order (§8.5).
    /// - Throws: ``CryptoError/invalidArgument(_:)`` if `identifier` is not 16 bytes, or `root`
    ///   or `seed` not 32.
    public init(
        levels: UInt32, lmsType: LMSTypeCode, lmotsType: LMOTSTypeCode,
        identifier: [UInt8], root: [UInt8], seed: [UInt8], qStart: UInt32, qEnd: UInt32
    ) throws(CryptoError) {
        guard seed.count == 32 else { throw .invalidArgument("hashsig SEED is \(seed.count) bytes, expected 32") }
        do {
            publicKeyInfo = try HashSigPublicKeyInfo(
                levels: levels, lmsType: lmsType, lmotsType: lmotsType, identifier: identifier, root: root)
        } catch {
            throw .invalidArgument(error.description)
        }
        self.seed = seed
        self.qStart = qStart
        self.qEnd = qEnd
    }

    /// Parses the record from its PKCS#8 DER.
    /// - Throws: ``CryptoError/unsupportedKey(_:)`` if the algorithm is not id-alg-mts-hashsig,
    ///   ``CryptoError/malformedDER(_:)`` for anything else wrong: malformed DER, parameters
    ///   other than NULL/absent, a field of the wrong length, an INTEGER above `UInt32.max`,
    ///   trailing bytes.
    public init(privateKeyInfo der: [UInt8]) throws(CryptoError) {
        let info: DER.PrivateKeyInfo
        do { info = try DER.PrivateKeyInfo(der: der) } catch { throw .malformedDER(error) }
        guard info.algorithm.algorithm == .mtsHashSig else {
            throw .unsupportedKey("algorithm \(info.algorithm.algorithm) is not id-alg-mts-hashsig")
        }
        try self.init(privateKeyInfo: info)
    }

    /// Parses the record from an already parsed PrivateKeyInfo with id-alg-mts-hashsig.
    init(privateKeyInfo info: DER.PrivateKeyInfo) throws(CryptoError) {
        guard info.algorithm.hasNoParameters else {
            throw .malformedDER(.unexpectedValue("id-alg-mts-hashsig with parameters other than NULL"))
        }
        do {
            var reader = DER.Reader(info.privateKey)
            self = try reader.readSequence { (fields) throws(DERError) in
                let max = UInt64(UInt32.max)
                let levels = UInt32(try fields.readInteger(maximum: max))
                let lmsType = LMSTypeCode(rawValue: UInt32(try fields.readInteger(maximum: max)))
                let lmotsType = LMOTSTypeCode(rawValue: UInt32(try fields.readInteger(maximum: max)))
                let identifier = try fields.readOctetString(count: 16, field: "hashsig I")
                let root = try fields.readOctetString(count: 32, field: "hashsig root T1")
                let seed = try fields.readOctetString(count: 32, field: "hashsig SEED")
                let qStart = UInt32(try fields.readInteger(maximum: max))
                let qEnd = UInt32(try fields.readInteger(maximum: max))
                // The lengths were checked just above, so this cannot throw.
                guard let record = try? HashSigPrivateKeyRecord(
                    levels: levels, lmsType: lmsType, lmotsType: lmotsType,
                    identifier: identifier, root: root, seed: seed, qStart: qStart, qEnd: qEnd)
                else { throw .unexpectedValue("hashsig record fields") }
                return record
            }
            try reader.finish()
        } catch {
            throw .malformedDER(error)
        }
    }

    /// The PKCS#8 DER (id-alg-mts-hashsig with NULL parameters). Secret: it holds the SEED.
    public var privateKeyInfo: [UInt8] {
        let record = DER.sequence { fields in
            fields.appendInteger(UInt64(levels))
            fields.appendInteger(UInt64(lmsType.rawValue))
            fields.appendInteger(UInt64(lmotsType.rawValue))
            fields.appendOctetString(identifier)
            fields.appendOctetString(root)
            fields.appendOctetString(seed)
            fields.appendInteger(UInt64(qStart))
            fields.appendInteger(UInt64(qEnd))
        }
        let algorithm = DER.AlgorithmIdentifier(.mtsHashSig, parameters: .null)
        return DER.PrivateKeyInfo(algorithm: algorithm, privateKey: record).der
    }

    /// Equal when the public part and the leaf range match and the SEEDs match, compared in
    /// constant time so that comparing records leaks nothing of a secret SEED.
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.publicKeyInfo == rhs.publicKeyInfo && lhs.qStart == rhs.qStart && lhs.qEnd == rhs.qEnd
            && ConstantTime.isEqual(lhs.seed, rhs.seed)
    }
}
