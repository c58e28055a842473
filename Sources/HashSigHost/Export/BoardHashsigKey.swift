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
        try await withListedNames(on: link.client) { names in
            for name in names {
                let candidate = try await open(name, on: link)
                if KeyIdentity(candidate.publicKey) == identity { return candidate }
                try? await candidate.key.close()
            }
            return nil
        }
    }

    /// Runs `body` with the names of the board's hashsig private keys. When `body` finds a name
    /// that names no key (`HAL_ERROR_KEY_NOT_FOUND`), the list was damaged on the link (the
    /// protocol has no checksum) or the key deleted since: the board is asked again, at most
    /// three times in all.
    /// - Throws: `HSMClientError`, or what `body` throws.
    public static func withListedNames<T>(on client: HSMClient, _ body: ([KeyName]) async throws -> T) async throws -> T {
        var attempt = 1
        while true {
            var names: [KeyName] = []
            for try await name in client.matchKeys(type: .hashsigPrivate) { names.append(name) }
            do {
                return try await body(names)
            } catch HSMClientError.device(.keyNotFound) where attempt < 3 {
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
