import HalRPC
import HashSig

/// A hashsig key's parameter set as PKEY_GENERATE_HASHSIG and PKEY_IMPORT check it
/// (docs/wire-protocol.md §8.4, §8.5), and the sizes that follow from it.
struct HashsigParameters: Sendable, Hashable {
    let levels: Int
    let lmsType: LMSType
    let lmotsType: LMOTSType

    /// Every level uses the same parameter set, as the firmware does (§8.1).
    var levelParameters: [LMS.Parameters] {
        Array(repeating: LMS.Parameters(lmsType, lmotsType), count: levels)
    }

    /// The HSS signature length (§8.1): 4 + L × LMS signature + (L − 1) × 56.
    var signatureLength: Int { HSS.signatureLength(levels: levelParameters) }

    /// Leaves of one tree, 2^h.
    var leafCount: Int { Int(lmsType.leafCount) }

    /// Token entries a new key needs: all top-level one-time keys plus its LMS and HSS records.
    var tokenEntries: Int { leafCount + 2 }

    /// Volatile entries its lower levels need: (L − 1)(2^h + 1).
    var volatileEntries: Int { (levels - 1) * (leafCount + 1) }

    /// The bytes of one stored LM-OTS private key: type, I, q and x (§5.2 table).
    var lmotsPrivateKeyLength: Int { 4 + 16 + 4 + lmotsType.p * lmotsType.n }

    /// The PKEY_GENERATE_HASHSIG checks of docs/wire-protocol.md §8.5 from step 5 on, in the
    /// firmware's order (flags, login and slot come first, in the handler).
    /// - Parameters:
    ///   - freeToken: free token keystore entries.
    ///   - freeVolatile: free volatile keystore entries.
    /// - Throws: the status the firmware answers: 1 for an unknown LMS type (the reference
    ///   crashes there), 26 without DIGITALSIGNATURE and TOKEN, 41 when a keystore is short of
    ///   entries, 1 for L outside 1…8 or an unknown LM-OTS type, 2 for W1 (its private key does
    ///   not fit a keystore block) or a signature longer than a packet.
    static func check(
        levels: UInt32, lmsType: LMSTypeCode, lmotsType: LMOTSTypeCode, flags: KeyFlags,
        freeToken: Int, freeVolatile: Int
    ) throws(HALError) -> HashsigParameters {
        // 5. [REF BUG] a null-pointer dereference on the board; BAD_ARGUMENTS here.
        guard let lms = try? LMSType(code: lmsType.rawValue) else { throw .badArguments }
        // 6.
        guard flags.contains(.digitalSignature), flags.contains(.token) else { throw .forbidden }
        // 7.
        guard freeToken >= Int(lms.leafCount) + 2 else { throw .noKeyIndexSlots }
        // 8.
        guard (1...8).contains(levels), let lmots = try? LMOTSType(code: lmotsType.rawValue) else { throw .badArguments }
        let parameters = HashsigParameters(levels: Int(levels), lmsType: lms, lmotsType: lmots)
        // 9.
        guard parameters.lmotsPrivateKeyLength <= KeystoreCapacity.blockSize else { throw .unsupportedKey }
        // 10.
        guard parameters.signatureLength <= RPCLimits.maximumMessage else { throw .unsupportedKey }
        // 11.
        guard freeVolatile >= parameters.volatileEntries else { throw .noKeyIndexSlots }
        return parameters
    }

    /// Volatile entries the lower levels of a stored key take.
    static func lowerLevelEntries(_ record: HashsigKeyRecord) -> Int {
        guard let lms = try? LMSType(code: record.lmsType.rawValue) else { return 0 }
        return (Int(record.levels) - 1) * (Int(lms.leafCount) + 1)
    }

    /// The parameters of a stored key.
    init?(_ record: HashsigKeyRecord) {
        guard let lms = try? LMSType(code: record.lmsType.rawValue),
              let lmots = try? LMOTSType(code: record.lmotsType.rawValue),
              (1...8).contains(record.levels) else { return nil }
        self.init(levels: Int(record.levels), lmsType: lms, lmotsType: lmots)
    }

    init(levels: Int, lmsType: LMSType, lmotsType: LMOTSType) {
        self.levels = levels
        self.lmsType = lmsType
        self.lmotsType = lmotsType
    }
}
