import COpenSSL

/// Comparisons whose time does not depend on where secret bytes differ.
public enum ConstantTime {
    /// Whether `a` and `b` hold the same bytes, compared with `CRYPTO_memcmp` so that the time
    /// taken depends only on the length (PIN hashes, docs/wire-protocol.md §6). Lengths are not secret:
    /// different lengths return `false` at once.
    public static func isEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        guard !a.isEmpty else { return true }
        return a.withUnsafeBytes { left in
            b.withUnsafeBytes { right in CRYPTO_memcmp(left.baseAddress!, right.baseAddress!, left.count) == 0 }
        }
    }

    /// `a` where `condition` is all ones, `b` where it is zero, byte by byte, without a branch
    /// on the condition.
    /// - Parameters:
    ///   - condition: `0xFF` or `0x00` (a mask, not a flag).
    static func select(_ condition: UInt8, _ a: ArraySlice<UInt8>, _ b: [UInt8]) -> [UInt8] {
        zip(a, b).map { ($0 & condition) | ($1 & ~condition) }
    }

    /// `0xFF` if `value` is zero, else `0x00`, without a branch.
    static func isZeroMask(_ value: UInt8) -> UInt8 {
        // (value - 1) has bit 8 set only when value is 0.
        UInt8(truncatingIfNeeded: (UInt16(value) &- 1) >> 8)
    }

    /// `0xFF` if `a == b`, else `0x00`, without a branch.
    static func isEqualMask(_ a: UInt8, _ b: UInt8) -> UInt8 {
        isZeroMask(a ^ b)
    }

    /// `a` if `condition` is `0xFF`, `b` if it is `0x00`, without a branch.
    static func select(_ condition: UInt8, _ a: Int, _ b: Int) -> Int {
        // Sign-extending 0xFF gives all ones.
        let mask = Int(Int8(bitPattern: condition))
        return (a & mask) | (b & ~mask)
    }

    /// `0xFF` if `a == b`, else `0x00`, without a branch.
    static func isEqualMask(_ a: Int, _ b: Int) -> UInt8 {
        let difference = UInt64(bitPattern: Int64(a ^ b))
        // (d | -d) has its top bit set exactly when d is not zero; 1 - 1 = 0, 0 - 1 = all ones.
        let isNonZero = (difference | (0 &- difference)) >> 63
        return UInt8(truncatingIfNeeded: isNonZero &- 1)
    }

    /// `0xFF` if `a >= b`, else `0x00`, for values of magnitude below 2^62, without a branch.
    static func isGreaterOrEqualMask(_ a: Int, _ b: Int) -> UInt8 {
        // The sign bit of a - b is clear exactly when a >= b.
        let difference = UInt64(bitPattern: Int64(a) &- Int64(b))
        return UInt8(truncatingIfNeeded: (difference >> 63) &- 1)
    }
}
