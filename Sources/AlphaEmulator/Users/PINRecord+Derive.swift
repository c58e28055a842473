import HalRPC

extension PINRecord {
    /// The record of `pin`: PBKDF2-HMAC-SHA256(PIN, salt, iterations) → 64 bytes (docs/wire-protocol.md §6).
    /// - Throws: the board's status for a PBKDF2 failure (never expected).
    static func derive(_ pin: PIN, salt: [UInt8], iterations: UInt32) throws(HALError) -> PINRecord {
        do {
            let hash = try PBKDF2.deriveKey(password: pin.bytes, salt: salt, iterations: Int(iterations),
                                            length: hashLength, digest: .sha256)
            return PINRecord(iterations: iterations, salt: salt, hash: hash)
        } catch {
            throw error.halError
        }
    }
}
