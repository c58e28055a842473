// cryptech-bench: prints one JSON object per line for every benchmark (run via tools/bench).
// Each area's benchmarks live in their own file; list them here. Arguments name the areas
// to run (`tools/bench muxd emulator`); none runs them all.
import CryptechExitStatus
import Foundation

let areas: KeyValuePairs<String, () -> Void> = [
    "slip": SLIPBench.run,
    "halrpc": HalRPCBench.run,
    "hashsig": HashSigBench.run,
    "emulator": EmulatorBench.run,
    "hashsighost": HashSigHostBench.run,
    "muxd": MuxdBench.run,
    "ledger": LedgerBench.run,
]
let requested = Set(CommandLine.arguments.dropFirst())
let unknown = requested.subtracting(areas.map(\.key))
guard unknown.isEmpty else {
    let names = areas.map(\.key).joined(separator: ", ")
    FileHandle.standardError.write(Data("cryptech-bench: unknown area \(unknown.sorted().joined(separator: ", ")); areas: \(names)\n".utf8))
    exit(ExitStatus.usage.rawValue)
}
for (name, run) in areas where requested.isEmpty || requested.contains(name) {
    run()
}
