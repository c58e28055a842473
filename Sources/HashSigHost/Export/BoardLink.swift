import HalRPC

/// One board as an export or a signer pool reaches it: its ledger name and its RPC client,
/// logged in as NORMAL or WHEEL by the caller (opening token keys and loading or importing
/// keys need it).
public struct BoardLink: Sendable {
    public let name: BoardName
    public let client: HSMClient

    public init(name: BoardName, client: HSMClient) {
        self.name = name
        self.client = client
    }
}
