import EtcdLedger
import Foundation
import HashSigHost

/// What differs when the demo runs at one of several sites sharing one ledger
/// (`tools/demo --sites 2`): the ledger may be in etcd, and a later site takes the key the
/// first one registered instead of generating one.
extension DemoRun {
    /// The ledger `--ledger` names (a file or etcd), or the file in `--ledger-dir`.
    func openLedger() async throws -> ShareLedger {
        try await ShareLedger(store: try LedgerLocation.store(for: ledgerPath))
    }

    /// 1 (at a later site). The key another site generated and registered: the ledger's only
    /// key. Its public key is written here too, for verifying this site's signatures.
    func joinKey(in ledger: ShareLedger) async throws -> (ShareLedger, KeyIdentity) {
        guard let key = ledger.keys.first, ledger.keys.count == 1 else {
            throw DemoError("\(ledger.path) holds \(ledger.keys.count) keys: --source needs a ledger with exactly one")
        }
        let state = try ledger.state(of: key)
        guard let source = settings.source, let holding = state.holdings[source.name] else {
            throw DemoError("the ledger gives the source board \(settings.source?.name.rawValue ?? "-") no share of key \(key)")
        }
        try Data(state.publicKey.bytes).write(to: URL(fileURLWithPath: publicKeyPath))
        say("key \(key) from \(ledger.path): board \(source.name) (another site) holds \(holding.range), next index \(holding.next)")
        return (ledger, key)
    }

    /// The shared ledger's head now, and the store's version of it (for etcd, the head key's
    /// mod revision). The two come from separate reads: they belong together only when no host
    /// appended in between, which the same version before and after shows.
    func sharedLedgerHead(_ ledger: ShareLedger) async throws -> DemoReport.SharedLedger {
        while true {
            let before = try await ledger.store.read().version
            try await ledger.refresh()
            if try await ledger.store.read().version == before {
                return DemoReport.SharedLedger(head: ledger.head, revision: before.value)
            }
        }
    }
}
