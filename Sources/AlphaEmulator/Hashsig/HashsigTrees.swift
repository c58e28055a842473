import HalRPC
import HashSig

/// Building a hashsig key's trees: for a new key, for a key at start-up, and for an imported
/// share. Tree building is synchronous and CPU-bound (tens of milliseconds for H10/W4 in a
/// release build); callers run it on a client's lane or the start-up thread, never on the
/// port's I/O thread.
enum HashsigTrees {
    /// Generates a new key (docs/wire-protocol.md §8.5 "Generation"). The top tree's one-time keys
    /// derive from a fresh 32-byte SEED (Appendix A): shown in the record for an EXPORTABLE
    /// key, private to the emulator otherwise. Lower levels are fresh and signed by the level
    /// above, which consumes top leaf 0 when L > 1.
    static func generate(_ parameters: HashsigParameters, exportable: Bool) throws(HALError) -> (HSS.PrivateKey, HashsigKeyRecord) {
        let seedBytes = try randomBytes(LMS.Seed.length)
        do {
            let seed = try LMS.Seed(bytes: seedBytes)
            let key = try HSS.PrivateKey.generate(levels: parameters.levelParameters, topKeys: .seed(seed))
            let top = key.topTree
            let record = HashsigKeyRecord(
                levels: UInt32(parameters.levels),
                lmsType: LMSTypeCode(rawValue: parameters.lmsType.rawValue),
                lmotsType: LMOTSTypeCode(rawValue: parameters.lmotsType.rawValue),
                identifier: top.identifier, root: top.publicKey.root, seed: seedBytes,
                isExportableSeed: exportable, rangeStart: top.leafRange.lowerBound,
                rangeEnd: top.leafRange.upperBound, nextIndex: top.nextLeafIndex)
            return (key, record)
        } catch {
            throw error.halError
        }
    }

    /// Rebuilds the top tree of `record` from its SEED over its range, at its next index.
    /// - Parameter checksRoot: whether the rebuilt root must be the record's T1
    ///   (``FirmwareBehaviour/importChecksRoot``; the reference does not check,
    ///   docs/wire-protocol.md §8.7 [REF BUG]).
    /// - Throws: `HAL_ERROR_INVALID_SIGNATURE` when `checksRoot` and the rebuilt root is not
    ///   the record's T1 (a share that does not belong to its public key), other statuses for
    ///   a malformed record.
    static func topTree(_ record: HashsigKeyRecord, parameters: HashsigParameters, checksRoot: Bool) throws(HALError) -> LMS.PrivateKey {
        let top: LMS.PrivateKey
        do {
            let seed = try LMS.Seed(bytes: record.seed)
            top = try LMS.PrivateKey(
                parameters: LMS.Parameters(parameters.lmsType, parameters.lmotsType), identifier: record.identifier,
                seed: seed, leafRange: record.rangeStart..<record.rangeEnd, nextLeafIndex: record.nextIndex)
        } catch {
            throw error.halError
        }
        guard !checksRoot || top.publicKey.root == record.root else { throw .invalidSignature }
        return top
    }

    /// A key over `top` with fresh lower levels, each signed by the level above: with L > 1
    /// this consumes the top tree's next leaf. `nil` when L > 1 and the top range is used up.
    static func assemble(top: LMS.PrivateKey, parameters: HashsigParameters) throws(HALError) -> HSS.PrivateKey? {
        if parameters.levels > 1, top.isExhausted { return nil }
        do {
            return try HSS.PrivateKey(topTree: top, lowerLevels: Array(parameters.levelParameters.dropFirst()))
        } catch {
            throw error.halError
        }
    }
}

extension HashSigError {
    /// The board's status for a HashSig failure.
    var halError: HALError {
        switch self {
        case .keyExhausted: .hashsigKeyExhausted
        case .randomGeneratorFailure: .csprngBroken
        case .publicKeyMismatch: .invalidSignature
        case .unknownLMSType, .unknownLMOTSType, .levelCountOutOfRange: .unsupportedKey
        default: .badArguments
        }
    }
}
