import HalRPC

/// One user's stored PIN as the firmware keeps it (docs/wire-protocol.md §6): PBKDF2-HMAC-SHA256 of the
/// PIN with a 16-byte salt, 64 bytes of output, and the iteration count. The PIN itself is
/// never stored.
struct PINRecord: Sendable, Hashable {
    /// PBKDF2 iterations for a newly set PIN.
    static let iterationsForNewPINs: UInt32 = 2000
    /// Salt bytes.
    static let saltLength = 16
    /// Stored hash bytes.
    static let hashLength = 64
    /// The factory WHEEL PIN compiled into the firmware.
    static let factoryWheelPIN = PIN("YouReallyNeedToChangeThisPINRightNowWeAreNotKidding")
    /// Iterations of the factory WHEEL record.
    static let factoryWheelIterations: UInt32 = 1000

    var iterations: UInt32
    var salt: [UInt8]
    var hash: [UInt8]

    /// The all-zero record of a user whose PIN was never set: no PIN matches it.
    static let unset = PINRecord(iterations: 0, salt: [UInt8](repeating: 0, count: saltLength),
                                 hash: [UInt8](repeating: 0, count: hashLength))

    var isUnset: Bool { hash.allSatisfy { $0 == 0 } }

    /// The iteration count to derive with: a stored 0 means 2000 (docs/wire-protocol.md §6).
    var effectiveIterations: UInt32 { iterations == 0 ? Self.iterationsForNewPINs : iterations }
}

extension PINRecord: CustomStringConvertible {
    /// Never shows the salt or hash.
    var description: String { isUnset ? "PINRecord(unset)" : "PINRecord(\(iterations) iterations, redacted)" }
}
