import COpenSSL

/// Heap memory for secret values (SEEDs, LM-OTS private values), zeroised with
/// `OPENSSL_cleanse` when freed so that the compiler cannot drop the wipe.
///
/// Written only while being initialised, then read-only: safe to share between threads.
final class SecretBytes: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer
    let count: Int

    /// `count` zero bytes.
    init(count: Int) {
        pointer = .allocate(byteCount: max(count, 1), alignment: 16)
        pointer.initializeMemory(as: UInt8.self, repeating: 0, count: max(count, 1))
        self.count = count
    }

    convenience init(copying bytes: some Collection<UInt8>) {
        self.init(count: bytes.count)
        withContiguousBytes(bytes) { source in
            if let base = source.baseAddress { pointer.copyMemory(from: base, byteCount: source.count) }
        }
    }

    /// `count` bytes from the random source.
    convenience init(randomCount count: Int, from random: some RandomSource) throws(HashSigError) {
        self.init(count: count)
        try random.fill(UnsafeMutableRawBufferPointer(start: pointer, count: count), secret: true)
    }

    deinit {
        OPENSSL_cleanse(pointer, max(count, 1))
        pointer.deallocate()
    }

    var buffer: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: pointer, count: count) }

    /// Constant-time comparison.
    func isEqual(to other: SecretBytes) -> Bool {
        count == other.count && CRYPTO_memcmp(pointer, other.pointer, count) == 0
    }
}
