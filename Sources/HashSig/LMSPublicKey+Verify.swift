extension LMS.PublicKey {
    /// Verifies an LMS signature over `message` (RFC 8554 §5.4.2 Algorithm 6).
    ///
    /// Uses the OpenSSL fast path on the calling thread; about 550 SHA-256 blocks for H10/W4.
    /// - Returns: ``VerificationResult/valid``, or why the signature does not verify.
    public func verify(_ signature: LMS.Signature, for message: some Collection<UInt8>) -> VerificationResult {
        withContiguousBytes(message) { bytes in
            Workspace.with(holdsSecrets: false) { workspace in verify(signature, message: bytes, level: 0, workspace) }
        }
    }

    /// Whether `signature` is a valid LMS signature over `message` under this key.
    public func isValidSignature(_ signature: LMS.Signature, for message: some Collection<UInt8>) -> Bool {
        verify(signature, for: message).isValid
    }

    /// RFC 8554 §5.4.2 Algorithm 6 for a parsed signature, reporting failures as `level`.
    func verify(_ signature: LMS.Signature, message: UnsafeRawBufferPointer, level: Int,
                _ workspace: Workspace) -> VerificationResult {
        // Algorithm 6a step 2c (LM-OTS type) and the LMS type check.
        guard signature.lmotsSignature.type == lmotsType else {
            return .invalid(.lmotsTypeMismatch(level: level, expected: lmotsType, found: signature.lmotsSignature.type))
        }
        guard signature.lmsType == lmsType else {
            return .invalid(.lmsTypeMismatch(level: level, expected: lmsType, found: signature.lmsType))
        }
        workspace.candidateRoot(identifier: identifier, signature: signature, message: message,
                                into: workspace.scratch + 32)
        let matches = root.withUnsafeBytes { equal32($0.baseAddress!, workspace.scratch + 32) }
        return matches ? .valid : .invalid(.rootMismatch(level: level))
    }
}

extension Workspace {
    /// Computes the candidate root Tc of an LMS signature whose types are known to match its key
    /// (RFC 8554 §5.4.2 Algorithm 6a, with §4.6 Algorithm 4b for Kc).
    ///
    /// `out` must not be ``scratch`` (which this uses); `scratch + 32` is fine.
    func candidateRoot(identifier: [UInt8], signature: LMS.Signature, message: UnsafeRawBufferPointer,
                       into out: UnsafeMutableRawPointer) {
        identifier.withUnsafeBytes { setIdentifier($0.baseAddress!) }
        let q = signature.leafIndex
        setLeafIndex(q)
        let ots = signature.lmotsSignature
        let type = ots.type
        // Algorithm 4b: Q = H(I ‖ u32str(q) ‖ u16str(D_MESG) ‖ C ‖ message), Cksm(Q).
        ots.randomizer.withUnsafeBytes { hashMessage(randomizer: $0.baseAddress!, message: message, type: type) }
        // Finish each chain from digit a = coef(Q ‖ Cksm(Q), i, w) to 2^w - 1.
        let w = type.w
        let chainEnd = type.chainEnd
        ots.chainValues.withUnsafeBytes { chainValues in
            let y = chainValues.baseAddress!
            for i in 0..<type.p {
                startChain(i, from: y + 32 * i)
                advanceChain(from: Workspace.coefficient(digits, i, w: w), to: chainEnd)
                copyChainValue(to: publicKeySlot(i))
            }
        }
        // Kc = H(I ‖ u32str(q) ‖ u16str(D_PBLC) ‖ z[0] ‖ … ‖ z[p-1]).
        hashPublicKey(p: type.p, into: scratch)
        // Algorithm 6a: climb from leaf node 2^h + q; an odd node is a right child, so its
        // sibling from the path goes on the left.
        var node = signature.lmsType.leafCount + q
        hashLeaf(node: node, publicKey: scratch, into: scratch)
        signature.path.withUnsafeBytes { path in
            var sibling = path.baseAddress!
            while node > 1 {
                if node & 1 == 1 {
                    hashInterior(node: node >> 1, left: sibling, right: scratch, into: scratch)
                } else {
                    hashInterior(node: node >> 1, left: scratch, right: sibling, into: scratch)
                }
                node >>= 1
                sibling += 32
            }
        }
        out.copyMemory(from: scratch, byteCount: 32)
    }
}
