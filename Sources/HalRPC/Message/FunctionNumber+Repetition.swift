extension FunctionNumber {
    /// Whether ``HSMClient`` may send this request again when its reply was lost (no reply by
    /// the deadline, or the board answered a later request first) or damaged on the way.
    ///
    /// Decided per function from what the reference firmware does with a request (libhal's
    /// `rpc_server.c` handlers; docs/wire-protocol.md §4.3): calls after which the board is in the
    /// same state whether it served them once or twice, and OPEN, whose repeat can cost a
    /// handle slot but never a key or a one-time key. Everything else is sent once; a
    /// lost or damaged reply then leaves its outcome unknown, as after a timeout, and the
    /// caller recovers (the share exporter, the signer pool).
    public var isSafeToRepeat: Bool {
        switch self {
        // Reads. GET_RANDOM draws fresh TRNG bytes each time but changes nothing; PKEY_MATCH
        // keeps its cursor in the request and reply, not on the board; CHECK_TAMPER asks the
        // tamper controller, which latches nothing for the asker.
        case .getVersion, .getRandom, .isLoggedIn, .hashGetDigestLength, .hashGetDigestAlgorithmID, .hashGetAlgorithm,
             .pkeyGetKeyType, .pkeyGetKeyFlags, .pkeyGetPublicKeyLength, .pkeyGetPublicKey, .pkeyGetKeyCurve,
             .pkeyGetAttributes, .pkeyMatch, .checkTamper:
            true
        // OPEN changes no key and spends no one-time key: a repeat after a lost reply at worst
        // leaves the first handle's slot taken until the board restarts (LOGOUT frees no pkey
        // handles, docs/wire-protocol.md §13), at most `retries` slots per call. Repeating here rather
        // than in each caller (the share exporter, the signer pool) keeps one rule for all.
        case .pkeyOpen:
            true
        // PINs and logins: a second LOGIN is a second PIN check (and, wrong, a second pause);
        // SET_PIN draws a new salt.
        case .setPIN, .login, .logout, .logoutAll:
            false
        // Hash state: a second UPDATE hashes the data twice; INITIALIZE takes another slot;
        // FINALIZE frees the handle, which another client may hold by the time of a repeat.
        case .hashInitialize, .hashUpdate, .hashFinalize:
            false
        // Key slots and the keystore: LOAD/GENERATE/IMPORT make another key,
        // CLOSE/DELETE/SET_ATTRIBUTES act on what may have changed since.
        case .pkeyLoad, .pkeyGenerateRSA, .pkeyGenerateEC, .pkeyGenerateHashsig, .pkeyImport,
             .pkeyClose, .pkeyDelete, .pkeySetAttributes:
            false
        // SIGN consumes a one-time key (hashsig) or a hash handle; VERIFY consumes a hash
        // handle; EXPORT moves leaves out of a hashsig key.
        case .pkeySign, .pkeyVerify, .pkeyExport:
            false
        }
    }
}
