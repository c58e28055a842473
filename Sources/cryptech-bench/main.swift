// cryptech-bench: prints one JSON object per line for every benchmark (run via tools/bench).
// Each area's benchmarks live in their own file; list them here.
SLIPBench.run()
HalRPCBench.run()
HashSigBench.run()
EmulatorBench.run()
HashSigHostBench.run()
MuxdBench.run()
