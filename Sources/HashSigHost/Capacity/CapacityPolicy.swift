/// When to warn that a key is running out of one-time keys.
///
/// A warning is meant to stop a script: the CLI exits non-zero on one unless the caller passes
/// `--acknowledge-low`, so nobody runs out of signatures without having said they know.
public struct CapacityPolicy: Hashable, Sendable, Codable {
    /// Warn when a board has fewer available leaves than this.
    public var boardThreshold: UInt32
    /// Warn when the key as a whole has fewer available leaves than this.
    public var totalThreshold: UInt64

    /// - Parameters:
    ///   - boardThreshold: warn when a board has fewer available leaves than this.
    ///   - totalThreshold: warn when the key has fewer available leaves than this.
    public init(boardThreshold: UInt32 = 16, totalThreshold: UInt64 = 64) {
        self.boardThreshold = boardThreshold
        self.totalThreshold = totalThreshold
    }

    /// The warnings for `report`: each board below its threshold, then the total.
    public func warnings(for report: CapacityReport) -> [LowCapacityWarning] {
        var warnings = report.boards.filter { $0.available < boardThreshold }.map {
            LowCapacityWarning(board: $0.board, available: UInt64($0.available), threshold: UInt64(boardThreshold))
        }
        if report.totals.available < totalThreshold {
            warnings.append(LowCapacityWarning(board: nil, available: report.totals.available, threshold: totalThreshold))
        }
        return warnings
    }
}

/// Fewer leaves left than the policy allows.
public struct LowCapacityWarning: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The board, or `nil` for the key as a whole.
    public var board: BoardName?
    /// The leaves left to sign with.
    public var available: UInt64
    /// The threshold it fell below.
    public var threshold: UInt64

    /// One line naming the board (or the key) and how many one-time keys it has left.
    public var description: String {
        let subject = board.map { "board \($0)" } ?? "the key"
        return "\(subject) has \(available) one-time keys left (warning below \(threshold))"
    }
}
