/// Default reply timeouts by kind of work. Every ``HSMClient`` call takes a `timeout:`
/// argument that overrides its function's default.
///
/// The board serves one request at a time, so a call also waits for whatever other clients
/// of the muxd have queued ahead of it; the defaults leave room for that.
public enum RPCTimeout {
    /// Cheap calls answered at once: version, random, hashing, key queries. A 16 KiB
    /// reply takes under 0.2 s at 921600 baud.
    public static let short: Duration = .seconds(10)
    /// Calls that derive a PIN (PBKDF2; a wrong PIN costs 5 s on the board) or write the
    /// flash keystore.
    public static let standard: Duration = .seconds(60)
    /// Signing, deleting and exporting: a hashsig signature may first rebuild an exhausted
    /// lower-level tree, deleting a hashsig key erases its trees, exporting one rewrites
    /// its records in flash.
    public static let long: Duration = .seconds(600)
    /// Key generation and import: RSA and hashsig key generation (and rebuilding an
    /// imported hashsig share's tree) take minutes on the board.
    public static let keyGeneration: Duration = .seconds(1800)
}
