/// What is needed to compute any leaf of a tree: its types, I and private values.
struct TreeContext: Sendable {
    let parameters: LMS.Parameters
    let identifier: [UInt8]
    let material: LMOTSKeyMaterial

    /// Sets I in a fresh workspace.
    func prepare(_ workspace: Workspace) {
        identifier.withUnsafeBytes { workspace.setIdentifier($0.baseAddress!) }
    }

    /// The LM-OTS public key K of leaf q (RFC 8554 §4.3 Algorithm 1): every chain run from x_q[i]
    /// through j = 0 … 2^w - 2, then K = H(I ‖ u32str(q) ‖ u16str(D_PBLC) ‖ y[0] ‖ … ‖ y[p-1]).
    @inline(__always)
    func publicKey(leaf q: UInt32, _ workspace: Workspace, into out: UnsafeMutableRawPointer) {
        let type = parameters.lmotsType
        let p = type.p
        let chainEnd = type.chainEnd
        workspace.setLeafIndex(q)
        for i in 0..<p {
            material.startChain(i, leaf: q, p: p, in: workspace)
            workspace.advanceChain(from: 0, to: chainEnd)
            workspace.copyChainValue(to: workspace.publicKeySlot(i))
        }
        workspace.hashPublicKey(p: p, into: out)
    }

    /// T[2^h + q], the leaf node of leaf q (RFC 8554 §5.3).
    @inline(__always)
    func leafNode(_ q: UInt32, _ workspace: Workspace, into out: UnsafeMutableRawPointer) {
        publicKey(leaf: q, workspace, into: out)
        workspace.hashLeaf(node: parameters.lmsType.leafCount + q, publicKey: out, into: out)
    }

    /// The chain values y[i] of an LM-OTS signature by leaf q over the message digits already in
    /// the workspace (RFC 8554 §4.5 Algorithm 3): chain i run from x_q[i] through
    /// j = 0 … a - 1, a = coef(Q ‖ Cksm(Q), i, w).
    func signChains(leaf q: UInt32, _ workspace: Workspace, into y: UnsafeMutableRawPointer) {
        let type = parameters.lmotsType
        let p = type.p
        for i in 0..<p {
            material.startChain(i, leaf: q, p: p, in: workspace)
            workspace.advanceChain(from: 0, to: Workspace.coefficient(workspace.digits, i, w: type.w))
            workspace.copyChainValue(to: y + 32 * i)
        }
    }
}
