import CoreMetrics

/// A key's capacity as gauges, recorded through swift-metrics (`cryptech share status
/// --metrics-file` writes them for node_exporter's textfile collector): running out of
/// one-time keys is the failure an operator must see coming, so alert on
/// ``boardAvailable`` and ``keyAvailable``.
///
/// Every gauge has the label `key` (the key's identity, `I:T1` in hex); the per-board ones also
/// `board`. The values are those of ``CapacityReport`` (see there for what each state means).
public enum CapacityMetrics {
    /// Gauge: top-level leaves in the board's range.
    public static let boardAllocated = "cryptech_share_board_leaves_allocated"
    /// Gauge: leaves of the range below the board's next index (spent).
    public static let boardUsed = "cryptech_share_board_leaves_used"
    /// Gauge: leaves from the board's next index to the end of its range.
    public static let boardFree = "cryptech_share_board_leaves_free"
    /// Gauge: free leaves planned for an export that has not left the board.
    public static let boardReserved = "cryptech_share_board_leaves_reserved"
    /// Gauge: leaves of the board's range lost to failed exports.
    public static let boardBurned = "cryptech_share_board_leaves_burned"
    /// Gauge: free leaves less reserved, what the board can still sign with; alert on it.
    public static let boardAvailable = "cryptech_share_board_leaves_available"
    /// Gauge: top-level leaves of the key (2^h).
    public static let keyLeaves = "cryptech_share_key_leaves"
    /// Gauge: leaves exported and not yet imported anywhere.
    public static let keyInTransit = "cryptech_share_key_leaves_in_transit"
    /// Gauge: leaves lost to failed exports, over all boards.
    public static let keyBurned = "cryptech_share_key_leaves_burned"
    /// Gauge: leaves all boards can still sign with; alert on it.
    public static let keyAvailable = "cryptech_share_key_leaves_available"
    /// Gauge: top-level leaves no registered board ever held.
    public static let keyOutsideLedger = "cryptech_share_key_leaves_outside_ledger"
    /// Gauge: alarms the ledger records and the boards asked raise; anything above 0 needs a person.
    public static let keyAlarms = "cryptech_share_key_alarms"

    /// Every gauge with what it says, for `--help` and the README (a test holds the README to it).
    public static let catalogue: [(name: String, meaning: String)] = [
        (boardAllocated, "top-level leaves in the board's range"),
        (boardUsed, "leaves of the range below the board's next index (spent)"),
        (boardFree, "leaves from the board's next index to the end of its range"),
        (boardReserved, "free leaves planned for an export that has not left the board"),
        (boardBurned, "leaves of the board's range lost to failed exports"),
        (boardAvailable, "free leaves less reserved: what the board can still sign with"),
        (keyLeaves, "top-level leaves of the key (2^h)"),
        (keyInTransit, "leaves exported and not yet imported anywhere"),
        (keyBurned, "leaves lost to failed exports, all boards"),
        (keyAvailable, "leaves all boards can still sign with"),
        (keyOutsideLedger, "top-level leaves no registered board ever held"),
        (keyAlarms, "alarms the ledger and the boards asked show"),
    ]

    /// Records `status`'s capacity as gauges through `factory`.
    public static func record(_ status: ShareStatus, factory: any MetricsFactory) {
        let key = ("key", "\(status.key)")
        func gauge(_ name: String, _ value: some BinaryInteger, board: BoardName? = nil) {
            let labels = [key] + (board.map { [("board", $0.rawValue)] } ?? [])
            Gauge(label: name, dimensions: labels, factory: factory).record(value)
        }
        for board in status.boards {
            let capacity = board.capacity
            gauge(boardAllocated, capacity.allocated, board: board.board)
            gauge(boardUsed, capacity.used, board: board.board)
            gauge(boardFree, capacity.free, board: board.board)
            gauge(boardReserved, capacity.reserved, board: board.board)
            gauge(boardBurned, capacity.burned, board: board.board)
            gauge(boardAvailable, capacity.available, board: board.board)
        }
        let totals = status.totals
        gauge(keyLeaves, totals.leafCount)
        gauge(keyInTransit, totals.inTransit)
        gauge(keyBurned, totals.burned)
        gauge(keyAvailable, totals.available)
        gauge(keyOutsideLedger, totals.outsideLedger)
        gauge(keyAlarms, status.alarms.count)
    }
}
