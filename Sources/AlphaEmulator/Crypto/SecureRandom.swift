import COpenSSL

/// OpenSSL's CSPRNG, the emulator's only source of randomness (KEKs, PIN salts, key UUIDs,
/// GET_RANDOM).
public enum SecureRandom {
    /// `count` random bytes from `RAND_bytes`.
    /// - Throws: ``CryptoError/randomGeneratorFailure(_:)`` (the board's `CSPRNG_BROKEN`) if
    ///   OpenSSL cannot produce them.
    public static func bytes(_ count: Int) throws(CryptoError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        // withUnsafeMutableBytes rethrows untyped errors: carry the typed one out in a Result.
        let result = bytes.withUnsafeMutableBytes { buffer in
            Result { () throws(CryptoError) in try fill(buffer) }
        }
        try result.get()
        return bytes
    }

    /// Fills `buffer` from `RAND_bytes`, in chunks that fit its `Int32` count.
    /// - Throws: ``CryptoError/randomGeneratorFailure(_:)``.
    public static func fill(_ buffer: UnsafeMutableRawBufferPointer) throws(CryptoError) {
        guard let base = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        var done = 0
        while done < buffer.count {
            let chunk = min(buffer.count - done, 1 << 30)
            guard RAND_bytes(base + done, Int32(chunk)) == 1 else {
                throw .randomGeneratorFailure(.capture("RAND_bytes"))
            }
            done += chunk
        }
    }
}
