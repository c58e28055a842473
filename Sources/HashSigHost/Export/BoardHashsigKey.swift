import HalRPC
import HashSig

/// A hashsig private key on one board, and what the host asks of it.
public struct BoardHashsigKey: Sendable {
    /// The board the key is on, with its client.
    public let link: BoardLink
    /// The open key on the board, for PKEY_SIGN, attributes and export.
    public let key: PKey
    /// The key's name (UUID) on the board, as the ledger records it.
    public let name: KeyName
    /// The key's HSS public key: every share of the key reports the same one.
    public let publicKey: HSS.PublicKey

    /// Wraps a key already open on the board (for example one just generated).
    public init(link: BoardLink, key: PKey, name: KeyName, publicKey: HSS.PublicKey) {
        self.link = link
        self.key = key
        self.name = name
        self.publicKey = publicKey
    }

    /// Opens the key named `name` on `link`'s board and reads its public key.
    /// - Throws: `HSMClientError` (`.device(.keyNotFound)` when the board has no such key),
    ///   or a parse error for a public key that is not a hashsig key.
    public static func open(_ name: KeyName, on link: BoardLink) async throws -> BoardHashsigKey {
        var attempt = 1
        while true {
            let key = try await link.client.openKey(name: name)
            do {
                // Read twice: the host compares it with the key's identity and records by it.
                let publicKey = try HSS.PublicKey(boardDER: try await key.confirmedPublicKey())
                return BoardHashsigKey(link: link, key: key, name: name, publicKey: publicKey)
            } catch HSMClientError.device(.keyNotFound) where attempt < 3 {
                // The board found the key by name just now, so the handle its reply gave was
                // damaged on the way (the protocol has no checksum) and names no key: open again.
                attempt += 1
            } catch {
                try? await key.close()
                throw error
            }
        }
    }

    /// Looks through the board's hashsig private keys for the one with `identity`.
    /// - Returns: the key, or `nil` when the board holds none.
    /// - Throws: `HSMClientError`.
    public static func find(_ identity: KeyIdentity, on link: BoardLink) async throws -> BoardHashsigKey? {
        var attempt = 1
        while true {
            var names: [KeyName] = []
            for try await name in link.client.matchKeys(type: .hashsigPrivate) { names.append(name) }
            do {
                for name in names {
                    let candidate = try await open(name, on: link)
                    if KeyIdentity(candidate.publicKey) == identity { return candidate }
                    try? await candidate.key.close()
                }
                return nil
            } catch HSMClientError.device(.keyNotFound) where attempt < 3 {
                // A name the board listed a moment ago names no key: the list was damaged on
                // the link (or the key deleted since). Listed again.
                attempt += 1
            }
        }
    }

    /// The board's SX1 range attributes: next index, qStart, qEnd of the top tree (read twice:
    /// the ledger records what this says).
    /// - Returns: `nil` when the firmware does not answer them (no SX1).
    /// - Throws: `HSMClientError`; `.unexpectedReply` for values that are no SX1 words.
    public func report() async throws -> BoardReport? {
        try await key.hashsigRangeAttributes()
    }

    /// Releases the handle (the key stays on the board).
    public func close() async {
        try? await key.close()
    }
}
