import ArgumentParser
import CryptechExitStatus
import HashSigHost

/// `cryptech share ledger copy`: moves a ledger between stores (a file to etcd and back) with
/// its hash chain intact and checked on both sides.
struct ShareLedgerCopyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy a share ledger into an empty file or etcd prefix, byte for byte, with the wrapped shares of unfinished transfers.",
        discussion: """
            Reads the source whole and checks it as every command does (its hash chain, its \
            events); a damaged source is refused and nothing is written. The destination must \
            be empty: a ledger is never merged or overwritten. The records' very lines are \
            appended (in batches of at most 127 records on etcd, each a compare-and-swap), so \
            the chain, the head's digest and every checkpoint stay valid; the wrapped shares of \
            unfinished transfers are copied first, so 'share export --resume' continues from \
            the copy. Both sides are then read again: the destination must hold exactly the \
            source's records and the source must be unchanged; both heads are printed.

            The source's export lock is held while copying. Stop every other use of the \
            source first (plans, signer pools) and point hosts at the copy afterwards. A copy \
            that failed part way leaves a destination that is not empty: remove the file, or \
            the etcd keys under PREFIX/ledger/ (etcdctl del --prefix PREFIX/ledger/), and \
            copy again.

            The --etcd-* options apply to whichever side is etcd://; copying between two etcd \
            clusters that need different TLS files or users is not supported (copy through a \
            file).
            """ + "\n\n" + ExitStatus.help(.success, .failed, .badInput, .unreachable, .usage))

    @Option(help: ArgumentHelp("The ledger to copy: a JSON-lines file, or etcd://HOST:PORT,…/PREFIX.", valueName: "file|etcd-url"))
    var from: String

    @Option(help: ArgumentHelp("Where to copy it: a file that is absent or empty, or an etcd prefix that holds no ledger.",
                               valueName: "file|etcd-url"))
    var to: String

    @OptionGroup var etcd: EtcdOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var logging: LoggingOptions

    /// `--json`: see docs/json.md.
    struct Output: Encodable {
        var from: String
        var to: String
        /// The source's head, as read and checked.
        var source: LedgerHead
        /// The destination's head, read back: equal to the source's.
        var destination: LedgerHead
        var appends: Int
        /// The unfinished transfers whose wrapped shares were copied.
        var blobs: [String]
    }

    func validate() throws {
        if from == to { throw ValidationError("--from and --to name the same ledger") }
    }

    func run() async throws {
        try await ShareFailure.run {
            let stores = try etcd.stores(for: [from, to])
            let timer = ElapsedTimer("copying \(from) to \(to)")
            defer { timer.stop() }
            let copy = try await ShareLedger.copy(from: stores[0], to: stores[1])
            timer.stop()
            if output.json {
                return try output.printJSON(Output(
                    from: stores[0].location, to: stores[1].location, source: copy.source, destination: copy.destination,
                    appends: copy.batches, blobs: copy.blobs.map { "\($0.transfer) (\($0.key.shortDescription))" }))
            }
            print("copied \(copy.source.records) records from \(stores[0].location) to \(stores[1].location) "
                + "in \(copy.batches) \(copy.batches == 1 ? "append" : "appends")")
            if !copy.blobs.isEmpty {
                let transfers = copy.blobs.map { "\($0.transfer) (\($0.key.shortDescription))" }
                print("copied the wrapped shares of unfinished transfers: " + transfers.joined(separator: ", "))
            }
            print("source head:      \(copy.source)")
            print("destination head: \(copy.destination) (read back and checked)")
        }
    }
}
