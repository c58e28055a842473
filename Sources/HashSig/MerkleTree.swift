import Dispatch

/// The nodes of an LMS tree (RFC 8554 §5.3) that signing needs for authentication paths.
///
/// Nodes are numbered as in the RFC: T[1] is the root, T[r] has children T[2r] and T[2r+1], the
/// leaves are T[2^h] … T[2^(h+1) - 1], and node r has height h - floor(log2(r)). Nodes of height
/// ≥ `storedFloor` are kept (they are exactly those with r < 2^(h - floor + 1)); the subtree of
/// height `storedFloor` under the next leaf is recomputed when signing reaches it and kept until
/// signing leaves it. The floor is 0 (everything kept, 64 KiB for H10) up to H15 and grows with
/// h beyond, so that an H25 tree keeps 2 MiB rather than 2 GiB.
struct MerkleTree: Sendable {
    let height: Int
    let storedFloor: Int
    /// T[r] at byte offset 32·r for 1 ≤ r < 2^(h - floor + 1); slot 0 unused.
    private(set) var nodes: [UInt8]
    /// The recomputed bottom subtree (only when `storedFloor` > 0).
    private var cachedSubtree: (firstLeaf: UInt32, levels: [UInt8])?

    /// The default number of bottom levels that are not kept.
    static func defaultFloor(height: Int) -> Int { max(0, height - 15) }

    /// The root T[1].
    var root: [UInt8] { Array(nodes[32..<64]) }

    /// Builds the tree, computing all 2^h leaves in parallel on every core.
    ///
    /// Synchronous: it blocks the calling thread for the whole build (about 30 ms for H10/W4 on
    /// two cores, 32 times that per extra 5 levels of height).
    init(context: TreeContext, storedFloor: Int? = nil) {
        let h = context.parameters.lmsType.height
        let floor = storedFloor ?? Self.defaultFloor(height: h)
        precondition((0...h).contains(floor))
        self.height = h
        self.storedFloor = floor
        var nodes = [UInt8](repeating: 0, count: 32 << (h - floor + 1))
        // Work in subtrees of 2^s leaves: at least 64 of them when the tree allows, so that
        // concurrentPerform can balance the cores, but each no larger than 2^12 leaves.
        var s = max(floor, h - min(h, 6))
        if s > 12 { s = max(floor, 12) }
        let subtreeHeight = s
        nodes.withUnsafeMutableBytes { buffer in
            let stored = UnsafeSendablePointer(buffer.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: 1 << (h - subtreeHeight)) { index in
                let levels = UnsafeMutableRawPointer.allocate(byteCount: 32 << (subtreeHeight + 1), alignment: 16)
                defer { levels.deallocate() }
                Workspace.with { workspace in
                    context.prepare(workspace)
                    Self.computeSubtree(context, firstLeaf: UInt32(index << subtreeHeight), height: subtreeHeight,
                                        workspace, levels: levels, stored: stored.pointer, floor: floor)
                }
            }
            // The levels above the subtrees, from their roots.
            Workspace.with { workspace in
                context.prepare(workspace)
                let base = stored.pointer
                for t in stride(from: subtreeHeight + 1, through: h, by: 1) {
                    for r in (1 << (h - t))..<(1 << (h - t + 1)) {
                        workspace.hashInterior(node: UInt32(r), left: base + 64 * r, right: base + 64 * r + 32,
                                               into: base + 32 * r)
                    }
                }
            }
        }
        self.nodes = nodes
    }

    /// Computes the subtree of height `s` over leaves `firstLeaf` ..< `firstLeaf` + 2^s into
    /// `levels` (leaves first, then each level up to the subtree's root: level t at offset
    /// 32·(2^(s+1) - 2^(s-t+1))), and copies its nodes of height ≥ `floor` to `stored` (by r).
    private static func computeSubtree(_ context: TreeContext, firstLeaf: UInt32, height s: Int, _ workspace: Workspace,
                                       levels: UnsafeMutableRawPointer, stored: UnsafeMutableRawPointer?, floor: Int) {
        let leafNode = Int(context.parameters.lmsType.leafCount) + Int(firstLeaf)
        for k in 0..<(1 << s) {
            context.leafNode(firstLeaf + UInt32(k), workspace, into: levels + 32 * k)
        }
        if let stored, floor == 0 {
            (stored + 32 * leafNode).copyMemory(from: levels, byteCount: 32 << s)
        }
        var below = levels
        for t in stride(from: 1, through: s, by: 1) {
            let level = below + (32 << (s - t + 1))
            let firstNode = leafNode >> t
            for k in 0..<(1 << (s - t)) {
                workspace.hashInterior(node: UInt32(firstNode + k), left: below + 64 * k, right: below + 64 * k + 32,
                                       into: level + 32 * k)
            }
            if let stored, t >= floor {
                (stored + 32 * firstNode).copyMemory(from: level, byteCount: 32 << (s - t))
            }
            below = level
        }
    }

    /// The authentication path of leaf q: path[i] = T[(2^h + q) / 2^i XOR 1] for i = 0 … h-1
    /// (RFC 8554 §5.4.1). Recomputes the bottom subtree when q has left the cached one.
    mutating func authenticationPath(leaf q: UInt32, context: TreeContext) -> [UInt8] {
        let h = height
        let leafNode = (1 << h) + Int(q)
        var path = [UInt8](repeating: 0, count: 32 * h)
        if storedFloor > 0 {
            let firstLeaf = (q >> UInt32(storedFloor)) << UInt32(storedFloor)
            if cachedSubtree?.firstLeaf != firstLeaf {
                cachedSubtree = (firstLeaf, Self.subtreeLevels(context, firstLeaf: firstLeaf, height: storedFloor))
            }
        }
        path.withUnsafeMutableBytes { out in
            for i in 0..<h {
                let sibling = (leafNode >> i) ^ 1
                if i >= storedFloor {
                    nodes.withUnsafeBytes { stored in
                        let source = stored.baseAddress! + 32 * sibling
                        out.baseAddress!.advanced(by: 32 * i).copyMemory(from: source, byteCount: 32)
                    }
                } else {
                    // Inside the cached subtree: level i starts at 32·(2^(f+1) - 2^(f-i+1)).
                    let f = storedFloor
                    let index = sibling - ((1 << h) + Int(cachedSubtree!.firstLeaf)) >> i
                    let offset = 32 * ((1 << (f + 1)) - (1 << (f - i + 1)) + index)
                    cachedSubtree!.levels.withUnsafeBytes {
                        out.baseAddress!.advanced(by: 32 * i).copyMemory(from: $0.baseAddress! + offset, byteCount: 32)
                    }
                }
            }
        }
        return path
    }

    private static func subtreeLevels(_ context: TreeContext, firstLeaf: UInt32, height s: Int) -> [UInt8] {
        var levels = [UInt8](repeating: 0, count: 32 << (s + 1))
        levels.withUnsafeMutableBytes { buffer in
            Workspace.with { workspace in
                context.prepare(workspace)
                computeSubtree(context, firstLeaf: firstLeaf, height: s, workspace,
                               levels: buffer.baseAddress!, stored: nil, floor: s + 1)
            }
        }
        return levels
    }
}

/// A pointer handed to concurrent workers that write disjoint parts of one buffer.
struct UnsafeSendablePointer: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer
    init(_ pointer: UnsafeMutableRawPointer) { self.pointer = pointer }
}
