import HalRPC
import HashSig

/// A stored key loaded for use: OpenSSL keys for RSA and EC, the record for hashsig keys.
/// Loaded from the keystore record at each use (a DER parse costs microseconds next to a
/// signature), so nothing secret stays in memory between requests but the record itself.
enum UsableKey {
    case loaded(KeyMaterial)
    case hashsigPrivate(HashsigKeyRecord)

    init(_ record: KeyRecord) throws(HALError) {
        switch record.material {
        case .hashsig(let hashsig):
            self = .hashsigPrivate(hashsig)
        case .der(let der):
            do {
                self = .loaded(try KeyMaterial(der: der))
            } catch {
                throw error.halError
            }
        }
    }

    /// The SubjectPublicKeyInfo PKEY_GET_PUBLIC_KEY returns: the stored DER of a public key,
    /// verbatim; the public half of a private key; for hashsig the 85-byte form of §8.2.
    func publicKeyDER(stored record: KeyRecord) throws(HALError) -> [UInt8] {
        do {
            switch self {
            case .loaded(.rsaPublic), .loaded(.ecPublic), .loaded(.hashsigPublic):
                return record.material.der ?? []
            case .loaded(.rsaPrivate(let key)):
                return try key.publicKey().subjectPublicKeyInfo()
            case .loaded(.ecPrivate(let key)):
                return try key.publicKey().subjectPublicKeyInfo()
            case .loaded(.hashsigPrivate(let share)):
                return share.publicKeyInfo.der
            case .hashsigPrivate(let hashsig):
                return try hashsig.publicKeyInfo.der
            }
        } catch let error as CryptoError {
            throw error.halError
        } catch let error as DERError {
            throw error.halError
        } catch {
            throw .impossible
        }
    }
}

extension HashsigKeyRecord {
    /// The §8.2 public key info.
    var publicKeyInfo: HashSigPublicKeyInfo {
        get throws(DERError) {
            try HashSigPublicKeyInfo(levels: levels, lmsType: lmsType, lmotsType: lmotsType, identifier: identifier, root: root)
        }
    }

    /// The §8.6 HSS record of the leaves [start, end): what the keystore holds and what an
    /// export wraps.
    func privateKeyInfo(rangeStart start: UInt32, rangeEnd end: UInt32) throws(HALError) -> [UInt8] {
        do {
            return try HashSigPrivateKeyRecord(
                levels: levels, lmsType: lmsType, lmotsType: lmotsType, identifier: identifier, root: root,
                seed: recordSeed, qStart: start, qEnd: end
            ).privateKeyInfo
        } catch {
            throw error.halError
        }
    }
}
