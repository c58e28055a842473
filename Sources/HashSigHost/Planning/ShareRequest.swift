/// How a person asks to divide a key's leaves among boards.
///
/// Counts are signed so that a request such as `B:-5` reaches the planner and is refused by
/// name rather than failing to parse.
public enum ShareRequest: Hashable, Sendable {
    /// Exactly this many leaves for each board (`A:768,B:256`).
    case exact([BoardAmount])
    /// Leaves in proportion to each board's weight (`A:3,B:1`).
    case weights([BoardAmount])
    /// The same number of leaves for every board named (`A,B,C,D`).
    case equal([BoardName])

    /// One board and a number: a leaf count or a weight.
    public struct BoardAmount: Hashable, Sendable {
        /// The board the number is for.
        public var board: BoardName
        /// A leaf count (``ShareRequest/exact(_:)``) or a weight (``ShareRequest/weights(_:)``);
        /// signed so that a negative one is refused by the planner by name.
        public var amount: Int64

        /// - Parameters:
        ///   - board: the board the number is for.
        ///   - amount: its leaf count or weight.
        public init(_ board: BoardName, _ amount: Int64) {
            self.board = board
            self.amount = amount
        }
    }

    /// The boards named, in request order.
    public var boards: [BoardName] {
        switch self {
        case .exact(let list), .weights(let list): list.map(\.board)
        case .equal(let boards): boards
        }
    }

    /// Parses `NAME:N,NAME:N,...` for ``exact(_:)`` or ``weights(_:)``.
    /// - Throws: ``SharePlanError/malformedRequest(_:reason:)``.
    public static func parseAmounts(_ text: String) throws(SharePlanError) -> [BoardAmount] {
        var out: [BoardAmount] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = item.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2 else {
                throw .malformedRequest(text, reason: "'\(item)' is not NAME:NUMBER")
            }
            let board: BoardName
            do {
                board = try BoardName(String(parts[0]).trimmed)
            } catch {
                throw .malformedRequest(text, reason: "\(error)")
            }
            guard let amount = Int64(String(parts[1]).trimmed) else {
                throw .malformedRequest(text, reason: "'\(parts[1])' is not a whole number")
            }
            out.append(BoardAmount(board, amount))
        }
        return out
    }

    /// Parses `NAME,NAME,...` for ``equal(_:)``.
    /// - Throws: ``SharePlanError/malformedRequest(_:reason:)``.
    public static func parseBoards(_ text: String) throws(SharePlanError) -> [BoardName] {
        var out: [BoardName] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            do {
                out.append(try BoardName(String(item).trimmed))
            } catch {
                throw .malformedRequest(text, reason: "\(error)")
            }
        }
        return out
    }
}

extension ShareRequest: CustomStringConvertible {
    /// The request as a person would type it: `exact A:768,B:256`, `weights A:3,B:1`, `equal A,B`.
    public var description: String {
        switch self {
        case .exact(let list): "exact " + list.map { "\($0.board):\($0.amount)" }.joined(separator: ",")
        case .weights(let list): "weights " + list.map { "\($0.board):\($0.amount)" }.joined(separator: ",")
        case .equal(let boards): "equal " + boards.map(\.rawValue).joined(separator: ",")
        }
    }
}

extension String {
    var trimmed: String {
        var text = Substring(self)
        while text.first == " " { text.removeFirst() }
        while text.last == " " { text.removeLast() }
        return String(text)
    }
}
