import AlphaEmulator
import HalRPC
import HashSigHost

/// Software Alphas for the benchmarks that need boards: `cryptech-emulator` processes, each
/// reached over its tty and logged in as the user, as a host reaches real boards.
struct BenchBoards {
    static let pin = PIN("bench-pin-1234")

    private let alphas: [EmulatorProcess]
    /// The boards, named as asked.
    let links: [BoardLink]

    /// Starts one software Alpha per name, its state in `directory`/name. Those started stop
    /// when this fails part way (``EmulatorProcess`` reaps a child it drops).
    static func start(_ names: [String], in directory: String) async throws -> BenchBoards {
        let alphas = try names.map { name in
            try EmulatorProcess.launch(arguments: ["--state-dir", directory + "/" + name, "--wrong-pin-delay", "0"],
                                       initialPINs: [(.normal, pin)])
        }
        var links: [BoardLink] = []
        for (name, alpha) in zip(names, alphas) {
            let client = alpha.makeClient()
            try await client.login(user: .normal, pin: pin)
            links.append(BoardLink(name: try BoardName(name), client: client))
        }
        return BenchBoards(alphas: alphas, links: links)
    }

    /// Stops the software Alphas (the clients fail from then on).
    func terminate() {
        for alpha in alphas { alpha.terminate() }
    }
}
