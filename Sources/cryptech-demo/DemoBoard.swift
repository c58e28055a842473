import ArgumentParser
import HalRPC
import HashSigHost

/// One board the demo uses: its ledger name and where it is.
struct DemoBoard: Sendable {
    let name: BoardName
    let endpoint: HSMEndpoint

    /// Parses `NAME=/dev/tty…` (a direct link) or `NAME=socket:PATH` (a muxd socket), as
    /// `cryptech share --board` does.
    init(spec: String) throws {
        guard let equals = spec.firstIndex(of: "=") else { throw ValidationError("--board \(spec): expected NAME=PATH") }
        do { name = try BoardName(String(spec[..<equals])) } catch { throw ValidationError("--board \(spec): \(error)") }
        let target = String(spec[spec.index(after: equals)...])
        guard !target.isEmpty else { throw ValidationError("--board \(spec): no path") }
        endpoint = target.hasPrefix("socket:")
            ? .muxd(socketPath: String(target.dropFirst("socket:".count)))
            : .serial(devicePath: target, speed: HSMEndpoint.defaultSpeed)
    }
}

/// Why the demo stopped.
struct DemoError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The default share request: unequal exact shares, the first board (the source) keeping
/// the most. Weights 8, 5, 3, 2, 1, 1, …: three boards of 1024 leaves get 512, 320 and 192.
enum DemoPlan {
    static func defaultShares(boards: [BoardName], leafCount: UInt32) -> [ShareRequest.BoardAmount] {
        var weights: [Int64] = [8, 5, 3, 2]
        while weights.count < boards.count { weights.append(1) }
        weights = Array(weights.prefix(boards.count))
        let total = weights.reduce(0, +)
        var amounts = weights.map { Int64(leafCount) * $0 / total }
        // Rounding leftovers stay with the source.
        amounts[0] += Int64(leafCount) - amounts.reduce(0, +)
        return zip(boards, amounts).map { ShareRequest.BoardAmount($0, $1) }
    }
}
