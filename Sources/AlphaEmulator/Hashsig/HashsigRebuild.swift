import Foundation
import HalRPC
import HashSig

extension AlphaServer {
    /// Rebuilds every stored hashsig key's trees, as the board does at boot (docs/wire-protocol.md §8.4
    /// "restart"), then marks the keyring ready; until then hashsig operations answer
    /// HAL_ERROR_NOT_READY. Blocking: run it on its own thread.
    ///
    /// Per key: the top tree is rebuilt from its SEED and must reach the stored root (unless
    /// the firmware does not check roots, ``FirmwareBehaviour/importChecksRoot``: then a key
    /// the import accepted is not refused here either); with
    /// L > 1, new lower trees are made and the top tree signs the first of them, consuming one
    /// top leaf — every restart costs one leaf, as on the board (design.md). That leaf is
    /// recorded as used on disk *before* it signs anything, so a crash right after can only
    /// waste it, never use it twice.
    func rebuildHashsigKeys() {
        if let gate = configuration.rebuildGate {
            // Polled: this is the rebuild's own thread, and the file appears once.
            while !FileManager.default.fileExists(atPath: gate) { Thread.sleep(forTimeInterval: 0.01) }
        }
        let clock = ContinuousClock()
        let start = clock.now
        var rebuilt = 0
        for stored in keystore.hashsigRecords {
            guard var record = stored.material.hashsig else { continue }
            do {
                guard let parameters = HashsigParameters(record) else { throw HALError.unsupportedKey }
                let consumesLeaf = parameters.levels > 1 && record.nextIndex < record.rangeEnd
                if consumesLeaf {
                    let leaf = record.nextIndex
                    try keystore.update(stored.name) { (updated: inout KeyRecord) throws(HALError) in
                        guard case .hashsig(var hashsig) = updated.material else { throw .impossible }
                        hashsig.nextIndex = leaf + 1
                        updated.material = .hashsig(hashsig)
                    }
                }
                let top = try HashsigTrees.topTree(
                    record, parameters: parameters, checksRoot: behaviour.importChecksRoot)
                let key = try HashsigTrees.assemble(top: top, parameters: parameters)
                record.nextIndex = top.nextLeafIndex
                hashsig.install(LiveHashsigKey(name: stored.name, key: key))
                rebuilt += 1
            } catch {
                logger.error("hashsig key cannot be rebuilt; it stays unusable",
                             metadata: ["emulator.key": "\(stored.name)", "emulator.reason": "\(error)"])
            }
        }
        hashsig.markReady()
        logger.info("hashsig keys ready", metadata: [
            "emulator.keys": "\(rebuilt)", "emulator.seconds": "\((clock.now - start).seconds)",
        ])
    }
}
