/// The RPC function numbers (docs/wire-protocol.md §4.1), the first word of every request and reply.
///
/// libhal numbers its functions by position in an enum, so every value is written out here
/// and pinned by a table test: a reorder upstream must not go unnoticed. Numbers 32–65 and
/// above 66 are unassigned; a header with one of them has no `FunctionNumber` (the raw word
/// is kept in ``RequestHeader``).
public enum FunctionNumber: UInt32, Sendable, CaseIterable, CustomStringConvertible {
    /// GET_VERSION (0): the firmware's RPC version; ``RPC/GetVersion``.
    case getVersion = 0
    /// GET_RANDOM (1): bytes from the board's TRNG; ``RPC/GetRandom``.
    case getRandom = 1
    /// SET_PIN (2): sets a user's PIN; ``RPC/SetPIN``.
    case setPIN = 2
    /// LOGIN (3): logs the client word in; ``RPC/Login``.
    case login = 3
    /// LOGOUT (4): ends the client word's login, deleting its volatile keys; ``RPC/Logout``.
    case logout = 4
    /// LOGOUT_ALL (5): ends every client's login; ``RPC/LogoutAll``.
    case logoutAll = 5
    /// IS_LOGGED_IN (6): whether the client word is logged in as a user; ``RPC/IsLoggedIn``.
    case isLoggedIn = 6
    /// HASH_GET_DIGEST_LEN (7): an algorithm's digest length; ``RPC/HashGetDigestLength``.
    case hashGetDigestLength = 7
    /// HASH_GET_DIGEST_ALGORITHM_ID (8): an algorithm's DER AlgorithmIdentifier; ``RPC/HashGetDigestAlgorithmID``.
    case hashGetDigestAlgorithmID = 8
    /// HASH_GET_ALGORITHM (9): the algorithm of a running hash; ``RPC/HashGetAlgorithm``.
    case hashGetAlgorithm = 9
    /// HASH_INITIALIZE (10): starts a hash or HMAC; ``RPC/HashInitialize``.
    case hashInitialize = 10
    /// HASH_UPDATE (11): feeds bytes to a running hash; ``RPC/HashUpdate``.
    case hashUpdate = 11
    /// HASH_FINALIZE (12): the digest, freeing the hash; ``RPC/HashFinalize``.
    case hashFinalize = 12
    /// PKEY_LOAD (13): loads a DER key; ``RPC/PKeyLoad``.
    case pkeyLoad = 13
    /// PKEY_OPEN (14): opens a key by name; ``RPC/PKeyOpen``.
    case pkeyOpen = 14
    /// PKEY_GENERATE_RSA (15): generates an RSA key; ``RPC/PKeyGenerateRSA``.
    case pkeyGenerateRSA = 15
    /// PKEY_GENERATE_EC (16): generates an EC key; ``RPC/PKeyGenerateEC``.
    case pkeyGenerateEC = 16
    /// PKEY_CLOSE (17): releases a key handle; ``RPC/PKeyClose``.
    case pkeyClose = 17
    /// PKEY_DELETE (18): deletes a key; ``RPC/PKeyDelete``.
    case pkeyDelete = 18
    /// PKEY_GET_KEY_TYPE (19): a key's type; ``RPC/PKeyGetKeyType``.
    case pkeyGetKeyType = 19
    /// PKEY_GET_KEY_FLAGS (20): a key's flags; ``RPC/PKeyGetKeyFlags``.
    case pkeyGetKeyFlags = 20
    /// PKEY_GET_PUBLIC_KEY_LEN (21): the length of a key's public key DER; ``RPC/PKeyGetPublicKeyLength``.
    case pkeyGetPublicKeyLength = 21
    /// PKEY_GET_PUBLIC_KEY (22): a key's public key as DER; ``RPC/PKeyGetPublicKey``.
    case pkeyGetPublicKey = 22
    /// PKEY_SIGN (23): signs; for a hashsig key, spends a one-time key; ``RPC/PKeySign``.
    case pkeySign = 23
    /// PKEY_VERIFY (24): checks a signature; ``RPC/PKeyVerify``.
    case pkeyVerify = 24
    /// PKEY_MATCH (25): one page of the names of matching keys; ``RPC/PKeyMatch``.
    case pkeyMatch = 25
    /// PKEY_GET_KEY_CURVE (26): a key's curve; ``RPC/PKeyGetKeyCurve``.
    case pkeyGetKeyCurve = 26
    /// PKEY_SET_ATTRIBUTES (27): sets or deletes a key's attributes; ``RPC/PKeySetAttributes``.
    case pkeySetAttributes = 27
    /// PKEY_GET_ATTRIBUTES (28): a key's attribute values or lengths; ``RPC/PKeyGetAttributes``.
    case pkeyGetAttributes = 28
    /// PKEY_EXPORT (29): a key wrapped for another board (SX1: a share of a hashsig key); ``RPC/PKeyExport``.
    case pkeyExport = 29
    /// PKEY_IMPORT (30): loads a key PKEY_EXPORT wrapped; ``RPC/PKeyImport``.
    case pkeyImport = 30
    /// PKEY_GENERATE_HASHSIG (31): generates an HSS/LMS key; ``RPC/PKeyGenerateHashsig``.
    case pkeyGenerateHashsig = 31
    /// CHECK_TAMPER (66): whether a tamper event happened; ``RPC/CheckTamper``. A DKS addition;
    /// the Python `cryptech.libhal` module lacks it (docs/wire-protocol.md §4.1).
    case checkTamper = 66

    /// The libhal name without prefix, as in the spec: `GET_VERSION`, `PKEY_SIGN`.
    public var name: String {
        switch self {
        case .getVersion: "GET_VERSION"
        case .getRandom: "GET_RANDOM"
        case .setPIN: "SET_PIN"
        case .login: "LOGIN"
        case .logout: "LOGOUT"
        case .logoutAll: "LOGOUT_ALL"
        case .isLoggedIn: "IS_LOGGED_IN"
        case .hashGetDigestLength: "HASH_GET_DIGEST_LEN"
        case .hashGetDigestAlgorithmID: "HASH_GET_DIGEST_ALGORITHM_ID"
        case .hashGetAlgorithm: "HASH_GET_ALGORITHM"
        case .hashInitialize: "HASH_INITIALIZE"
        case .hashUpdate: "HASH_UPDATE"
        case .hashFinalize: "HASH_FINALIZE"
        case .pkeyLoad: "PKEY_LOAD"
        case .pkeyOpen: "PKEY_OPEN"
        case .pkeyGenerateRSA: "PKEY_GENERATE_RSA"
        case .pkeyGenerateEC: "PKEY_GENERATE_EC"
        case .pkeyClose: "PKEY_CLOSE"
        case .pkeyDelete: "PKEY_DELETE"
        case .pkeyGetKeyType: "PKEY_GET_KEY_TYPE"
        case .pkeyGetKeyFlags: "PKEY_GET_KEY_FLAGS"
        case .pkeyGetPublicKeyLength: "PKEY_GET_PUBLIC_KEY_LEN"
        case .pkeyGetPublicKey: "PKEY_GET_PUBLIC_KEY"
        case .pkeySign: "PKEY_SIGN"
        case .pkeyVerify: "PKEY_VERIFY"
        case .pkeyMatch: "PKEY_MATCH"
        case .pkeyGetKeyCurve: "PKEY_GET_KEY_CURVE"
        case .pkeySetAttributes: "PKEY_SET_ATTRIBUTES"
        case .pkeyGetAttributes: "PKEY_GET_ATTRIBUTES"
        case .pkeyExport: "PKEY_EXPORT"
        case .pkeyImport: "PKEY_IMPORT"
        case .pkeyGenerateHashsig: "PKEY_GENERATE_HASHSIG"
        case .checkTamper: "CHECK_TAMPER"
        }
    }

    public var description: String { name }
}
