import COpenSSL

/// Scratch memory for the RFC 8554 hash computations of one tree: a SHA-256 context and the
/// pre-padded blocks of every fixed-layout hash input.
///
/// Layouts (RFC 8554 §4.3, §4.5, §5.3, Appendix A), byte offsets in the message:
///
///     chain    I[0..<16] ‖ u32 q[16] ‖ u16 i[20] ‖ u8 j[22]    ‖ tmp[23..<55]           55 B, 1 block
///     x_q[i]   I[0..<16] ‖ u32 q[16] ‖ u16 i[20] ‖ u8 0xFF[22] ‖ SEED[23..<55]          55 B, 1 block
///     leaf     I[0..<16] ‖ u32 r[16] ‖ u16 D_LEAF[20] ‖ K[22..<54]                      54 B, 1 block
///     interior I[0..<16] ‖ u32 r[16] ‖ u16 D_INTR[20] ‖ left[22..<54] ‖ right[54..<86] 86 B, 2 blocks
///     K        I ‖ u32 q ‖ u16 D_PBLC ‖ y[0] ‖ … ‖ y[p-1]                          22 + 32p B
///
/// The chain step and the Appendix A derivation share one layout, so a seeded key derives x_q[i]
/// in place and continues the chain in the same block. Allocated on the stack for one computation
/// with ``with(_:)``; never shared between threads.
struct Workspace {
    let hasher: SHA256Hasher
    /// The chain / derivation block; the running value lives at `chainBlock + 23`.
    let chainBlock: UnsafeMutableRawPointer
    let leafBlock: UnsafeMutableRawPointer
    let interiorBlocks: UnsafeMutableRawPointer
    /// `I ‖ u32 q ‖ u16 D_PBLC` followed by room for p chain ends (the input of K).
    let publicKeyInput: UnsafeMutableRawPointer
    /// Q ‖ Cksm(Q): the message hash and its 16-bit checksum (RFC 8554 §4.4).
    let digits: UnsafeMutableRawPointer
    /// Two 32-byte scratch values.
    let scratch: UnsafeMutableRawPointer

    static let chainValueOffset = 23
    static let publicKeyPrefixLength = 22

    private static let contextSize = (MemoryLayout<SHA256_CTX>.size + 63) & ~63
    private static let layout = (
        chain: contextSize, leaf: contextSize + 64, interior: contextSize + 128,
        digits: contextSize + 256, scratch: contextSize + 320, publicKey: contextSize + 384
    )
    // 22 + 32p for the largest p (W1: 265), rounded up.
    private static let byteCount = layout.publicKey + 22 + 32 * 265 + 10

    /// Runs `body` with a workspace in temporary (stack) memory.
    /// - Parameter holdsSecrets: whether private values pass through (key generation, signing):
    ///   then the memory is wiped on the way out. Verification handles public data only.
    @inline(__always)
    static func with<R, E: Error>(holdsSecrets: Bool = true, _ body: (Workspace) throws(E) -> R) throws(E) -> R {
        try withUnsafeTemporaryAllocation(byteCount: byteCount, alignment: 64) { raw throws(E) -> R in
            let base = raw.baseAddress!
            let workspace = Workspace(
                hasher: SHA256Hasher(context: base.bindMemory(to: SHA256_CTX.self, capacity: 1)),
                chainBlock: base + layout.chain,
                leafBlock: base + layout.leaf,
                interiorBlocks: base + layout.interior,
                publicKeyInput: base + layout.publicKey,
                digits: base + layout.digits,
                scratch: base + layout.scratch
            )
            workspace.setUpPadding()
            // Private chain values and SEED copies pass through here: clear them on the way out.
            defer { if holdsSecrets { OPENSSL_cleanse(base, byteCount) } }
            return try body(workspace)
        }
    }

    private func setUpPadding() {
        SHA256Hasher.pad(chainBlock, messageLength: 55)
        SHA256Hasher.pad(leafBlock, messageLength: 54)
        SHA256Hasher.pad(interiorBlocks, messageLength: 86)
        leafBlock.storeBytes(of: DomainSeparator.leaf.bigEndian, toByteOffset: 20, as: UInt16.self)
        interiorBlocks.storeBytes(of: DomainSeparator.interior.bigEndian, toByteOffset: 20, as: UInt16.self)
        publicKeyInput.storeBytes(of: DomainSeparator.publicKey.bigEndian, toByteOffset: 20, as: UInt16.self)
    }

    /// Sets I in every block. Called once per tree.
    @inline(__always)
    func setIdentifier(_ identifier: UnsafeRawPointer) {
        chainBlock.copyMemory(from: identifier, byteCount: 16)
        leafBlock.copyMemory(from: identifier, byteCount: 16)
        interiorBlocks.copyMemory(from: identifier, byteCount: 16)
        publicKeyInput.copyMemory(from: identifier, byteCount: 16)
    }

    /// Sets the leaf index q of the one-time key being worked on.
    @inline(__always)
    func setLeafIndex(_ q: UInt32) {
        chainBlock.storeBytes(of: q.bigEndian, toByteOffset: 16, as: UInt32.self)
        publicKeyInput.storeBytes(of: q.bigEndian, toByteOffset: 16, as: UInt32.self)
    }

    // MARK: Winternitz chains (RFC 8554 §4.3, §4.5, §4.6)

    /// Selects chain `i` and loads its starting value.
    @inline(__always)
    func startChain(_ i: Int, from value: UnsafeRawPointer) {
        chainBlock.storeBytes(of: UInt16(truncatingIfNeeded: i).bigEndian, toByteOffset: 20, as: UInt16.self)
        (chainBlock + Self.chainValueOffset).copyMemory(from: value, byteCount: 32)
    }

    /// Selects chain `i` and derives its private value x_q[i] = H(I ‖ u32str(q) ‖ u16str(i) ‖
    /// u8str(0xFF) ‖ SEED) in place (RFC 8554 Appendix A). Needs ``setLeafIndex(_:)`` first.
    @inline(__always)
    func startChain(_ i: Int, seed: UnsafeRawPointer) {
        chainBlock.storeBytes(of: UInt16(truncatingIfNeeded: i).bigEndian, toByteOffset: 20, as: UInt16.self)
        chainBlock.storeBytes(of: 0xFF, toByteOffset: 22, as: UInt8.self)
        (chainBlock + Self.chainValueOffset).copyMemory(from: seed, byteCount: 32)
        hasher.hashPadded(chainBlock, blockCount: 1, into: chainBlock + Self.chainValueOffset)
    }

    /// Applies chain steps j = `from` ..< `to` to the running value:
    /// tmp = H(I ‖ u32str(q) ‖ u16str(i) ‖ u8str(j) ‖ tmp).
    @inline(__always)
    func advanceChain(from: Int, to: Int) {
        var j = from
        while j < to {
            chainBlock.storeBytes(of: UInt8(truncatingIfNeeded: j), toByteOffset: 22, as: UInt8.self)
            hasher.hashPadded(chainBlock, blockCount: 1, into: chainBlock + Self.chainValueOffset)
            j += 1
        }
    }

    /// Copies the running chain value to `destination`.
    @inline(__always)
    func copyChainValue(to destination: UnsafeMutableRawPointer) {
        destination.copyMemory(from: chainBlock + Self.chainValueOffset, byteCount: 32)
    }

    /// Where the i-th chain end goes in the input of K.
    @inline(__always)
    func publicKeySlot(_ i: Int) -> UnsafeMutableRawPointer {
        publicKeyInput + Self.publicKeyPrefixLength + 32 * i
    }

    /// K = H(I ‖ u32str(q) ‖ u16str(D_PBLC) ‖ y[0] ‖ … ‖ y[p-1]) from the filled slots.
    @inline(__always)
    func hashPublicKey(p: Int, into digest: UnsafeMutableRawPointer) {
        hasher.hash(publicKeyInput, count: Self.publicKeyPrefixLength + 32 * p, into: digest)
    }

    /// Q = H(I ‖ u32str(q) ‖ u16str(D_MESG) ‖ C ‖ message) followed by Cksm(Q) in ``digits``
    /// (RFC 8554 §4.5 Algorithm 3, §4.6 Algorithm 4b).
    @inline(__always)
    func hashMessage(randomizer: UnsafeRawPointer, message: UnsafeRawBufferPointer, type: LMOTSType) {
        // The prefix is I ‖ q from the chain block, then D_MESG and C.
        scratch.copyMemory(from: chainBlock, byteCount: 20)
        scratch.storeBytes(of: DomainSeparator.message.bigEndian, toByteOffset: 20, as: UInt16.self)
        (scratch + 22).copyMemory(from: randomizer, byteCount: 32)
        hasher.begin()
        hasher.update(scratch, count: 54)
        if let base = message.baseAddress {
            hasher.update(base, count: message.count)
        }
        hasher.finish(into: digits)
        let checksum = Self.checksum(digits, type: type)
        digits.storeBytes(of: checksum.bigEndian, toByteOffset: 32, as: UInt16.self)
    }

    /// coef(S, i, w): the i-th w-bit digit of S, most significant first (RFC 8554 §3.1.3).
    @inline(__always)
    static func coefficient(_ s: UnsafeRawPointer, _ i: Int, w: Int) -> Int {
        let byte = Int(s.load(fromByteOffset: (i * w) >> 3, as: UInt8.self))
        let shift = 8 - (w * (i % (8 / w)) + w)
        return (byte >> shift) & ((1 << w) - 1)
    }

    /// Cksm(Q) = (sum over the n·8/w digits of (2^w - 1 - digit)) << ls (RFC 8554 §4.4 Algorithm 2).
    @inline(__always)
    static func checksum(_ q: UnsafeRawPointer, type: LMOTSType) -> UInt16 {
        let w = type.w
        let maximum = type.chainEnd
        var sum = 0
        for i in 0..<(type.n * 8 / w) {
            sum += maximum - coefficient(q, i, w: w)
        }
        return UInt16(truncatingIfNeeded: sum << type.ls)
    }

    // MARK: Merkle tree (RFC 8554 §5.3)

    /// T[r] = H(I ‖ u32str(r) ‖ u16str(D_LEAF) ‖ K) for leaf node r = 2^h + q.
    @inline(__always)
    func hashLeaf(node r: UInt32, publicKey k: UnsafeRawPointer, into digest: UnsafeMutableRawPointer) {
        leafBlock.storeBytes(of: r.bigEndian, toByteOffset: 16, as: UInt32.self)
        (leafBlock + 22).copyMemory(from: k, byteCount: 32)
        hasher.hashPadded(leafBlock, blockCount: 1, into: digest)
    }

    /// T[r] = H(I ‖ u32str(r) ‖ u16str(D_INTR) ‖ left ‖ right) for interior node r.
    @inline(__always)
    func hashInterior(node r: UInt32, left: UnsafeRawPointer, right: UnsafeRawPointer,
                      into digest: UnsafeMutableRawPointer) {
        interiorBlocks.storeBytes(of: r.bigEndian, toByteOffset: 16, as: UInt32.self)
        (interiorBlocks + 22).copyMemory(from: left, byteCount: 32)
        (interiorBlocks + 54).copyMemory(from: right, byteCount: 32)
        hasher.hashPadded(interiorBlocks, blockCount: 2, into: digest)
    }
}
