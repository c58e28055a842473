@testable import HashSig

/// A random source that hands out given values in order, for known-answer signing tests.
final class ScriptedRandom: RandomSource {
    private var values: [[UInt8]]

    init(_ values: [[UInt8]]) { self.values = values }

    var isEmpty: Bool { values.isEmpty }

    func fill(_ buffer: UnsafeMutableRawBufferPointer, secret: Bool) throws(HashSigError) {
        precondition(!values.isEmpty, "the test did not script enough random values")
        let next = values.removeFirst()
        precondition(next.count == buffer.count, "scripted value of \(next.count) bytes for \(buffer.count)")
        buffer.copyBytes(from: next)
    }
}

/// A deterministic random source (xorshift), so that failures reproduce.
final class SeededRandom: RandomSource {
    private var state: UInt64

    init(seed: UInt64) { state = seed | 1 }

    func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }

    func fill(_ buffer: UnsafeMutableRawBufferPointer, secret: Bool) throws(HashSigError) {
        for index in buffer.indices { buffer[index] = UInt8(truncatingIfNeeded: next()) }
    }
}

extension LMS.Parameters {
    static let h5w1 = LMS.Parameters(.sha256M32H5, .sha256N32W1)
    static let h5w2 = LMS.Parameters(.sha256M32H5, .sha256N32W2)
    static let h5w4 = LMS.Parameters(.sha256M32H5, .sha256N32W4)
    static let h5w8 = LMS.Parameters(.sha256M32H5, .sha256N32W8)
    static let h10w4 = LMS.Parameters(.sha256M32H10, .sha256N32W4)
}
