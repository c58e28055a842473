/// The RPC function numbers (rpc-wire.md §4.1), the first word of every request and reply.
///
/// libhal numbers its functions by position in an enum, so every value is written out here
/// and pinned by a table test: a reorder upstream must not go unnoticed. Numbers 32–65 and
/// above 66 are unassigned; a header with one of them has no `FunctionNumber` (the raw word
/// is kept in ``RequestHeader``).
public enum FunctionNumber: UInt32, Sendable, CaseIterable, CustomStringConvertible {
    case getVersion = 0
    case getRandom = 1
    case setPIN = 2
    case login = 3
    case logout = 4
    case logoutAll = 5
    case isLoggedIn = 6
    case hashGetDigestLength = 7
    case hashGetDigestAlgorithmID = 8
    case hashGetAlgorithm = 9
    case hashInitialize = 10
    case hashUpdate = 11
    case hashFinalize = 12
    case pkeyLoad = 13
    case pkeyOpen = 14
    case pkeyGenerateRSA = 15
    case pkeyGenerateEC = 16
    case pkeyClose = 17
    case pkeyDelete = 18
    case pkeyGetKeyType = 19
    case pkeyGetKeyFlags = 20
    case pkeyGetPublicKeyLength = 21
    case pkeyGetPublicKey = 22
    case pkeySign = 23
    case pkeyVerify = 24
    case pkeyMatch = 25
    case pkeyGetKeyCurve = 26
    case pkeySetAttributes = 27
    case pkeyGetAttributes = 28
    case pkeyExport = 29
    case pkeyImport = 30
    case pkeyGenerateHashsig = 31
    /// DKS addition; the Python `cryptech.libhal` module lacks it (rpc-wire.md §4.1).
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
