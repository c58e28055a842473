import AlphaEmulator
import EtcdClient
import EtcdLedger
import EtcdTestSupport
import Foundation
import HalRPC
import HashSigHost

/// The share ledger on its two stores: a JSON-lines file, and a three-member etcd cluster on
/// loopback started the way the tests start theirs (``EtcdTestCluster``: each member's data
/// directory under the system temporary directory, the same disk as the file).
///
/// - `ledger.<store>.append`: appends per second by one writer, one `observed` event each
///   (what a signer pool records most), each durable before the next: written and fsynced
///   under the file's lock, or committed by a majority of members;
/// - `ledger.<store>.plan_export_ms`: plan and export of one share A → B between two software
///   Alphas (`cryptech-emulator` processes on ptys; an L = 2 H5/W4 key, 16 of its 32 leaves),
///   the median of three runs, each on a new key and ledger.
///
/// `<store>` is `file` or `etcd3`. Without etcd installed (tools/bootstrap installs it) the
/// etcd figures are skipped.
enum LedgerBench {
    static func run() {
        Bench.blocking {
            do {
                try await measure()
            } catch {
                FileHandle.standardError.write(Data("ledger bench failed: \(error)\n".utf8))
            }
        }
    }

    private static func measure() async throws {
        let alphas = try await BenchBoards.start(["A", "B"], for: "ledger-bench")
        defer { alphas.terminate() }
        let directory = alphas.directory
        let boards = alphas.links
        do {
            try await figures(for: "file", boards: boards) { name in FileLedgerStore(path: directory + "/" + name + ".jsonl") }
            if (try? EtcdTestCluster.etcdInstalled()) == true {
                try await EtcdTestCluster.with(members: 3) { cluster in
                    let members = cluster.endpoints.map(\.description).joined(separator: ",")
                    try await figures(for: "etcd3", boards: boards) { name in
                        try LedgerLocation.store(for: EtcdLocation.scheme + members + "/bench/" + name)
                    }
                }
            } else {
                FileHandle.standardError.write(Data("ledger bench: etcd not installed (tools/bootstrap); etcd figures skipped\n".utf8))
            }
        } catch {
            for board in boards { await board.client.close() }
            throw error
        }
        for board in boards { await board.client.close() }
    }

    /// Both figures for one kind of store; `store` makes a new, empty one for each use.
    private static func figures(for kind: String, boards: [BoardLink],
                                store: (String) throws -> any LedgerStore) async throws {
        let ledger = try await registered(store("append"), on: boards[0]).ledger
        let state = try ledger.state(of: ledger.keys[0])
        let holding = state.holdings[boards[0].name]!
        var next = holding.next
        let appends = try await Bench.rate(seconds: 3) {
            next = next + 1 < holding.range.end ? next + 1 : holding.range.start
            try await ledger.append(.observed(BoardObservation(board: holding.board, range: holding.range, next: next)), key: state.key)
            return 1
        }
        BenchFigure(name: "ledger.\(kind).append", value: appends, unit: "append/s").print()

        var milliseconds: [Double] = []
        for run in 1...3 {
            let (exportLedger, key) = try await registered(store("export\(run)"), on: boards[0])
            let exporter = ShareExporter(ledger: exportLedger, key: key, boards: boards)
            let request = ShareRequest.exact(try ShareRequest.parseAmounts("A:16,B:16"))
            let start = ContinuousClock.now
            _ = try await exporter.export(request, from: boards[0].name)
            milliseconds.append((ContinuousClock.now - start).seconds * 1000)
        }
        BenchFigure(name: "ledger.\(kind).plan_export_ms", value: Bench.percentile(milliseconds, 50), unit: "ms").print()
    }

    /// A new L = 2 H5/W4 key on `board`, registered in a ledger on `store`.
    private static func registered(_ store: any LedgerStore, on board: BoardLink) async throws -> (ledger: ShareLedger, key: KeyIdentity) {
        let generated = try await board.client.generateHashsigKey(levels: 2, lmsType: .sha256N32H5, lmotsType: .sha256N32W4,
                                                                  flags: [.digitalSignature, .token, .exportable])
        let key = try await BoardHashsigKey.open(generated.name!, on: board)
        let identity = KeyIdentity(key.publicKey)
        let ledger = try await ShareLedger(store: store)
        try await ledger.register(key, .generatedJustNow, probeMessage: Array("cryptech-bench probe".utf8))
        return (ledger, identity)
    }
}
