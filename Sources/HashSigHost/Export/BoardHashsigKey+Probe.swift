import HalRPC
import HashSig

/// A probe signature: how the host learns a board's next top-level leaf when the firmware
/// has no SX1 range attributes (design.md, "Two firmwares, one host"). An HSS signature
/// carries the index of the top-level leaf that signed its lower tree, so the board's next
/// unused top-level leaf is that index + 1. With L > 1 a probe spends a leaf of the bottom
/// tree, not of the top one (unless that bottom tree was full); with L = 1 it spends the top
/// leaf it reports.
extension BoardHashsigKey {
    /// The probe's outcome.
    public struct Probe: Hashable, Sendable {
        /// The signature's top-level leaf index.
        public var index: UInt32
        /// The board's next unused top-level leaf: `index + 1`.
        public var next: UInt32 { index + 1 }
    }

    /// Why a probe signature could not be taken.
    public struct ProbeError: Error, Hashable, Sendable, CustomStringConvertible {
        /// The board that was probed.
        public var board: BoardName
        /// What was wrong with the signature.
        public var reason: String
        /// One line naming the board and what was wrong with its probe signature.
        public var description: String { "board \(board): probe signature \(reason)" }
    }

    /// Signs `message`, verifies the signature under the key's public key with
    /// `verification`, and reads its top-level leaf index.
    /// - Throws: ``ProbeError`` when the signature does not verify; `HSMClientError` when
    ///   the board refuses or cannot be reached.
    public func probe(_ message: [UInt8], verification: VerificationPolicy = .software) async throws -> Probe {
        let signature = try await key.sign(message)
        let result = try? await verification.verify(signature: signature, message: message, publicKey: publicKey)
        guard result == .valid else {
            throw ProbeError(board: link.name, reason: "does not verify under the key's public key (\(result.map { "\($0)" } ?? "malformed"))")
        }
        guard let index = try? HSS.Signature(bytes: signature).topLeafIndex else {
            throw ProbeError(board: link.name, reason: "has no top-level leaf index")
        }
        return Probe(index: index)
    }

    /// What the board says of its share: its SX1 range attributes when it has them, else a
    /// probe signature's next index (no range).
    /// - Returns: the report, and the probe when one was made.
    public func reportOrProbe(_ message: [UInt8], verification: VerificationPolicy = .software) async throws -> (BoardReport, Probe?) {
        if let report = try await report() { return (report, nil) }
        let probe = try await probe(message, verification: verification)
        return (BoardReport(next: probe.next, range: nil), probe)
    }
}
