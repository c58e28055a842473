import ArgumentParser
import CryptechExitStatus

/// A command whose `--help` lists the statuses it can end with, and that ends with one.
struct Ping: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Checks that a board answers.",
        discussion: ExitStatus.help(.success, .unreachable, .timeout))

    func run() throws {
        let answered = false  // ask the board here
        if !answered { throw ExitCode(.timeout) }
    }
}
