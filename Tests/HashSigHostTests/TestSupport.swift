import Foundation
import HalRPC
import HashSig
import Testing
@testable import HashSigHost

/// A fresh directory under the system temporary directory, removed by `cleanup()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("hashsighost-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        path = base.path
    }

    func file(_ name: String) -> String { path + "/" + name }

    func cleanup() { try? FileManager.default.removeItem(atPath: path) }
}

func board(_ name: String) -> BoardName { try! BoardName(name) }

func leaves(_ start: UInt32, _ end: UInt32) -> LeafRange { LeafRange(start..<end) }

/// A fixed clock for ledgers under test.
let testClock: @Sendable () -> String = { "2025-01-01T00:00:00Z" }

/// One SEED-derived HSS key split into shares the way boards hold them: every share rebuilds
/// the same top tree from the SEED, restricted to its range, over its own random lower levels.
/// Small parameter sets (H5) keep the trees quick to build.
struct SoftwareShares {
    let parameters: [LMS.Parameters]
    let identifier: [UInt8]
    let seed: LMS.Seed
    let publicKey: HSS.PublicKey

    init(levels: Int = 2, lms: LMSType = .sha256M32H5, lmots: LMOTSType = .sha256N32W4) throws {
        parameters = Array(repeating: LMS.Parameters(lms, lmots), count: levels)
        identifier = (0..<16).map { _ in UInt8.random(in: 0...255) }
        seed = try LMS.Seed.random()
        let top = try LMS.PrivateKey(parameters: parameters[0], identifier: identifier, seed: seed)
        publicKey = try HSS.PublicKey(levels: levels, topPublicKey: top.publicKey)
    }

    /// A key restricted to `range`, as a board holds it after importing that share (with
    /// L > 1 making it already consumed the first leaf, to sign its level-1 tree).
    func share(_ range: LeafRange) throws -> HSS.PrivateKey {
        let top = try LMS.PrivateKey(parameters: parameters[0], identifier: identifier, seed: seed, leafRange: range.range)
        return try HSS.PrivateKey(topTree: top, lowerLevels: Array(parameters.dropFirst()))
    }

    var identity: KeyIdentity { KeyIdentity(publicKey) }

    var leafCount: UInt32 { parameters[0].lmsType.leafCount }
}
