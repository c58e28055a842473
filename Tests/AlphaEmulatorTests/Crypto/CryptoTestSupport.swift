import HalRPC
@testable import AlphaEmulator

/// The board status `body` fails with: `nil` if it succeeds, `HALError(rawValue: .max)` for an
/// error that is neither a ``CryptoError`` nor a ``DERError``.
func cryptoStatus(_ body: () throws -> Void) -> HALError? {
    do {
        try body()
        return nil
    } catch let error as CryptoError {
        return error.halError
    } catch let error as DERError {
        return error.halError
    } catch {
        return HALError(rawValue: .max)
    }
}
