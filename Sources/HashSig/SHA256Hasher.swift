import COpenSSL

/// SHA-256 H(0), the initial hash value (FIPS 180-4 §5.3.3).
private let sha256InitialHash: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (
    0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19
)

/// SHA-256 on OpenSSL's low-level calls, working in caller-owned memory.
///
/// Why not EVP: RFC 8554 hashes millions of 55- and 86-byte inputs, so per-call overhead decides
/// speed. For inputs whose layout is fixed (a Winternitz chain step, a leaf, an interior node), the
/// caller keeps the message *and its padding* in a block buffer and only the changing bytes are
/// rewritten; ``hashPadded(_:blockCount:into:)`` then costs one `SHA256_Transform` per block plus
/// the big-endian write-out of the state, with no allocation and no buffering.
struct SHA256Hasher {
    /// The OpenSSL context; `h` (the chaining state) is its first member.
    let context: UnsafeMutablePointer<SHA256_CTX>

    /// Hashes `blockCount` 64-byte blocks that already hold a message and its SHA-256 padding
    /// (see ``pad(_:messageLength:)``), writing the 32-byte digest to `digest`.
    ///
    /// `digest` may point into the blocks: they are read completely before it is written.
    @inline(__always)
    func hashPadded(_ blocks: UnsafeRawPointer, blockCount: Int, into digest: UnsafeMutableRawPointer) {
        context.pointee.h = sha256InitialHash
        var block = blocks.assumingMemoryBound(to: UInt8.self)
        for _ in 0..<blockCount {
            SHA256_Transform(context, block)
            block += 64
        }
        writeState(to: digest)
    }

    /// Hashes `count` bytes at `data` (any length).
    @inline(__always)
    func hash(_ data: UnsafeRawPointer, count: Int, into digest: UnsafeMutableRawPointer) {
        begin()
        update(data, count: count)
        finish(into: digest)
    }

    @inline(__always)
    func begin() {
        SHA256_Init(context)
    }

    @inline(__always)
    func update(_ data: UnsafeRawPointer, count: Int) {
        SHA256_Update(context, data, count)
    }

    @inline(__always)
    func finish(into digest: UnsafeMutableRawPointer) {
        SHA256_Final(digest.assumingMemoryBound(to: UInt8.self), context)
    }

    /// Writes the chaining state as the big-endian digest (FIPS 180-4 §6.2.2 step 4).
    @inline(__always)
    private func writeState(to digest: UnsafeMutableRawPointer) {
        let state = UnsafeRawPointer(context)
        for word in 0..<8 {
            let value = state.load(fromByteOffset: 4 * word, as: UInt32.self)
            digest.storeBytes(of: value.bigEndian, toByteOffset: 4 * word, as: UInt32.self)
        }
    }

    /// Writes the SHA-256 padding of a `messageLength`-byte message into the blocks that hold it:
    /// `0x80`, zeros, then the bit length as a 64-bit big-endian value (FIPS 180-4 §5.1.1).
    /// Returns the number of 64-byte blocks.
    @discardableResult
    static func pad(_ blocks: UnsafeMutableRawPointer, messageLength: Int) -> Int {
        let blockCount = (messageLength + 8) / 64 + 1
        let end = blockCount * 64
        blocks.storeBytes(of: 0x80, toByteOffset: messageLength, as: UInt8.self)
        (blocks + messageLength + 1).initializeMemory(as: UInt8.self, repeating: 0, count: end - 8 - messageLength - 1)
        blocks.storeBytes(of: UInt64(messageLength * 8).bigEndian, toByteOffset: end - 8, as: UInt64.self)
        return blockCount
    }
}

/// One SHA-256 of a byte array, for code off the hot paths.
func sha256(_ bytes: [UInt8]) -> [UInt8] {
    var digest = [UInt8](repeating: 0, count: 32)
    bytes.withUnsafeBytes { input in
        digest.withUnsafeMutableBytes { output in
            _ = SHA256(input.baseAddress?.assumingMemoryBound(to: UInt8.self), input.count,
                       output.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
    }
    return digest
}
