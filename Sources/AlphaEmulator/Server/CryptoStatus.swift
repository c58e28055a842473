import HalRPC

/// `count` bytes from the CSPRNG, failing with the board's `HAL_ERROR_CSPRNG_BROKEN`.
func randomBytes(_ count: Int) throws(HALError) -> [UInt8] {
    do {
        return try SecureRandom.bytes(count)
    } catch {
        throw error.halError
    }
}

extension DERError {
    /// Malformed DER on the RPC is `HAL_ERROR_ASN1_PARSE_FAILED` (docs/wire-protocol.md §4.3 PKEY_LOAD).
    var status: HALError { halError }
}
