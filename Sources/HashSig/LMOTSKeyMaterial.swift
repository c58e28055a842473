/// The LM-OTS private values of one tree.
enum LMOTSKeyMaterial: Sendable {
    /// Derived on demand from a SEED (RFC 8554 Appendix A).
    case seed(LMS.Seed)
    /// Drawn at random for every leaf (RFC 8554 §4.2), leaf-major: x_q[i] at (q·p + i)·n.
    case values(SecretBytes)

    /// Selects chain `i` of leaf `q` (already set in the workspace) and loads x_q[i].
    @inline(__always)
    func startChain(_ i: Int, leaf q: UInt32, p: Int, in workspace: Workspace) {
        switch self {
        case .seed(let seed):
            workspace.startChain(i, seed: seed.storage.pointer)
        case .values(let values):
            workspace.startChain(i, from: values.pointer + (Int(q) * p + i) * 32)
        }
    }
}
