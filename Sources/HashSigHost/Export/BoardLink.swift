import HalRPC

/// One board as an export or a signer pool reaches it: its ledger name and its RPC client,
/// logged in as NORMAL or WHEEL by the caller (opening token keys and loading or importing
/// keys need it).
public struct BoardLink: Sendable {
    /// The board's ledger name.
    public let name: BoardName
    /// The board's RPC client, logged in by the caller.
    public let client: HSMClient

    /// - Parameters:
    ///   - name: the board's ledger name.
    ///   - client: its RPC client, logged in.
    public init(name: BoardName, client: HSMClient) {
        self.name = name
        self.client = client
    }
}
