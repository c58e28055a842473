import HalRPC
import HashSig

extension HSS.PublicKey {
    /// Parses the board's hashsig SubjectPublicKeyInfo (docs/wire-protocol.md §8.2: 85 bytes, a DER
    /// SEQUENCE of L, the types, I and T1 inside the BIT STRING) into the RFC 8554 public key.
    /// - Throws: `DERError` for malformed DER, `HashSigError` for values RFC 8554 refuses.
    public init(boardDER der: [UInt8]) throws {
        let info = try HashSigPublicKeyInfo(der: der)
        try self.init(bytes: info.rawPublicKey)
    }
}
