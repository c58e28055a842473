import AlphaEmulator
import Foundation
import HalRPC
import HashSigHost

/// Software Alphas for the benchmarks that need boards: `cryptech-emulator` processes, each
/// reached over its tty and logged in as the user, as a host reaches real boards.
struct BenchBoards {
    static let pin = PIN("bench-pin-1234")

    private let alphas: [EmulatorProcess]
    /// The boards, named as asked.
    let links: [BoardLink]
    /// A scratch directory of this run: the boards' state, and whatever the bench keeps.
    let directory: String

    /// Starts one software Alpha per name, its state in a new scratch directory named after
    /// `bench`. Those started stop when this fails part way (``EmulatorProcess`` reaps a child
    /// it drops).
    static func start(_ names: [String], for bench: String) async throws -> BenchBoards {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("\(bench)-\(getpid())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        do {
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
            return BenchBoards(alphas: alphas, links: links, directory: directory)
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
    }

    /// Stops the software Alphas (the clients fail from then on) and removes the directory.
    func terminate() {
        for alpha in alphas { alpha.terminate() }
        try? FileManager.default.removeItem(atPath: directory)
    }
}
