/// Reply timeouts by kind of work. Every function belongs to one class; ``HSMClient`` uses
/// the class's duration unless a call passes `timeout:`, and the muxd lets an operator
/// override a class as a whole.
///
/// The board serves one request at a time, so a call also waits for whatever other clients
/// of the muxd have queued ahead of it; the defaults leave room for that.
public enum RPCTimeout: String, CaseIterable, Sendable {
    /// Cheap calls answered at once: version, random, hashing, key queries. A 16 KiB
    /// reply takes under 0.2 s at 921600 baud.
    case short
    /// Calls that derive a PIN (PBKDF2; a wrong PIN costs 5 s on the board) or write the
    /// flash keystore.
    case standard
    /// Signing, deleting and exporting: a hashsig signature may first rebuild an exhausted
    /// lower-level tree, deleting a hashsig key erases its trees, exporting one rewrites
    /// its records in flash.
    case long
    /// Key generation and import: RSA and hashsig key generation (and rebuilding an
    /// imported hashsig share's tree) take minutes on the board.
    case keyGeneration

    /// The default duration of the class.
    public var duration: Duration {
        switch self {
        case .short: .seconds(10)
        case .standard: .seconds(60)
        case .long: .seconds(600)
        case .keyGeneration: .seconds(1800)
        }
    }
}
