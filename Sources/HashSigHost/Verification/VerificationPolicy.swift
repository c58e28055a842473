import HashSig

/// Which SHA-256 the host verifies HSS signatures with.
///
/// The software engine (OpenSSL) is the default: fast (tens of thousands of verifications a
/// second). A hardware-backed engine, such as ``BoardHashEngine`` on an Alpha's hash cores,
/// is slow (thousands of RPCs per signature) but keeps the hashing on the board. Both run the
/// same RFC 8554 algorithm and give the same verdict on the same inputs.
public struct VerificationPolicy: Sendable, CustomStringConvertible {
    /// The engine every hash goes through.
    public let engine: any HashEngine
    /// What to call it in messages ("software", "board A").
    public let name: String

    /// Verify with OpenSSL's SHA-256 on the host (the default).
    public static let software = VerificationPolicy(engine: OpenSSLHashEngine(), name: "software")

    /// Verify with another SHA-256 engine.
    public init(engine: any HashEngine, name: String) {
        self.engine = engine
        self.name = name
    }

    /// Verifies an encoded HSS signature over `message` under `publicKey`.
    /// - Returns: `VerificationResult/valid` or why it is not.
    /// - Throws: `HashSigError` for a malformed signature; whatever the engine throws (a
    ///   board that went away).
    public func verify(signature: [UInt8], message: [UInt8], publicKey: HSS.PublicKey) async throws -> VerificationResult {
        try await publicKey.verify(signature: signature, for: message, using: engine)
    }

    /// The engine's name, as messages print it.
    public var description: String { name }
}
