import CryptechECDSA
import HalRPC

/// A board's checkpoint key for one ledger: an EC P-256 key made on the board (PKEY_GENERATE_EC,
/// never exportable), which signs the ledger's head, and whose attributes keep the last head the
/// board anchored. The attributes are stock PKEY_SET_ATTRIBUTES values, so any firmware keeps them.
///
/// The board is what an attacker who can edit the ledger file cannot touch: its key signs
/// heads the file cannot forge, and its anchor remembers how long the ledger was, which a
/// signature inside the file cannot (cutting the file cuts the signature).
public struct LedgerCheckpointKey: Sendable {
    /// The SHA-256 of the ledger's first line (``ShareLedger/identity``): which ledger the key is for.
    public static let ledgerAttribute = AttributeType(rawValue: 0x4354_0101)
    /// The anchored head's record count, 8 bytes big-endian.
    public static let recordsAttribute = AttributeType(rawValue: 0x4354_0102)
    /// The anchored head's digest, 32 bytes.
    public static let headAttribute = AttributeType(rawValue: 0x4354_0103)

    /// P-256: 32-byte r and s.
    static let orderLength = 32

    /// The board that holds the key.
    public let board: BoardName
    /// The open key on the board; ``close()`` releases its handle.
    public let key: PKey
    /// The key's name (UUID) on the board, recorded as a checkpoint's signer.
    public let name: KeyName
    /// The SubjectPublicKeyInfo DER.
    public let publicKey: [UInt8]

    /// SHA-256 of ``publicKey``, as checkpoint records name their signer.
    public var publicKeyDigest: SHA256Digest { SHA256Digest(of: publicKey) }

    /// The board's checkpoint key for the ledger `identity`, if it has one.
    /// - Throws: board errors.
    public static func find(ledger identity: SHA256Digest, on link: BoardLink) async throws -> LedgerCheckpointKey? {
        let names = try await checkpointKeys(on: link, attributes: [Attribute(type: ledgerAttribute, value: identity.bytes)])
        guard let name = names.first else { return nil }
        return try await open(name, on: link)
    }

    /// The board's checkpoint key whose public key is `publicKey` (a pinned key), whatever
    /// ledger it was made for.
    /// - Throws: board errors.
    public static func find(publicKey: [UInt8], on link: BoardLink) async throws -> LedgerCheckpointKey? {
        for name in try await checkpointKeys(on: link, attributes: []) {
            let key = try await open(name, on: link)
            if key.publicKey == publicKey { return key }
            await key.close()
        }
        return nil
    }

    private static func checkpointKeys(on link: BoardLink, attributes: [Attribute]) async throws -> [KeyName] {
        var names: [KeyName] = []
        for try await name in link.client.matchKeys(type: .ecPrivate, curve: .p256, attributes: attributes) { names.append(name) }
        return names
    }

    private static func open(_ name: KeyName, on link: BoardLink) async throws -> LedgerCheckpointKey {
        let key = try await link.client.openKey(name: name)
        do {
            return LedgerCheckpointKey(board: link.name, key: key, name: name, publicKey: try await key.publicKey())
        } catch {
            try? await key.close()
            throw error
        }
    }

    /// Makes a checkpoint key for the ledger `identity` on the board: a token key that signs
    /// and can never leave it.
    /// - Throws: board errors.
    public static func create(ledger identity: SHA256Digest, on link: BoardLink) async throws -> LedgerCheckpointKey {
        let key = try await link.client.generateECKey(curve: .p256, flags: [.digitalSignature, .token])
        do {
            try await key.updateAttributes([.set(ledgerAttribute, identity.bytes)])
            guard let name = key.name else { throw LedgerCheckpointError.unnamedKey(board: link.name) }
            return LedgerCheckpointKey(board: link.name, key: key, name: name, publicKey: try await key.publicKey())
        } catch {
            try? await key.delete()
            throw error
        }
    }

    /// The ledger this key was made for.
    /// - Throws: board errors.
    public func ledgerIdentity() async throws -> SHA256Digest? {
        guard let bytes = try await key.attributes([Self.ledgerAttribute])[Self.ledgerAttribute], bytes.count == 32 else { return nil }
        return SHA256Digest(bytes: bytes)
    }

    /// The last head the board anchored, `nil` before the first checkpoint.
    /// - Throws: board errors.
    public func anchor() async throws -> LedgerHead? {
        let values = try await key.attributes([Self.recordsAttribute, Self.headAttribute])
        guard let count = values[Self.recordsAttribute], count.count == 8, let digest = values[Self.headAttribute], digest.count == 32 else {
            return nil
        }
        let records = count.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard let records = Int(exactly: records) else { return nil }
        return LedgerHead(records: records, digest: SHA256Digest(bytes: digest))
    }

    /// Anchors `head` on the board.
    /// - Throws: board errors.
    public func setAnchor(_ head: LedgerHead) async throws {
        let count = UInt64(head.records)
        try await key.updateAttributes([
            .set(Self.recordsAttribute, (0..<8).map { UInt8(truncatingIfNeeded: count >> (56 - 8 * $0)) }),
            .set(Self.headAttribute, head.digest.bytes),
        ])
    }

    /// The board's signature over `head`, checked here before it is returned.
    /// - Throws: board errors; ``LedgerCheckpointError/badSignature(board:)``.
    public func sign(_ head: LedgerHead) async throws -> [UInt8] {
        let signature = try await key.sign(head.signedDigest)
        guard Self.isValid(signature, over: head, publicKey: publicKey) else { throw LedgerCheckpointError.badSignature(board: board) }
        return signature
    }

    /// Whether `signature` is `publicKey`'s over `head`.
    static func isValid(_ signature: [UInt8], over head: LedgerHead, publicKey: [UInt8]) -> Bool {
        // A failure to set OpenSSL up verifies nothing: not valid.
        (try? ECDSAVerifier.isValid(signature, digest: head.signedDigest, subjectPublicKeyInfo: publicKey, orderLength: orderLength)) ?? false
    }

    /// Closes the key's handle on the board; the key stays in the board's keystore. Best effort:
    /// a failure is ignored, since nothing the caller does depends on it.
    public func close() async { try? await key.close() }
}

/// Why a checkpoint could not be made.
public enum LedgerCheckpointError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The board made a key without a name.
    case unnamedKey(board: BoardName)
    /// The board's signature does not verify with its own public key.
    case badSignature(board: BoardName)
    /// Nothing to sign.
    case emptyLedger(path: String)
    /// The pinned key is on none of the boards given.
    case pinnedKeyNotFound(board: BoardName)
    /// The ledger does not pass its own checks: signing it would bless the damage.
    case tampered([String])

    /// One line naming the board and why no checkpoint was made.
    public var description: String {
        switch self {
        case .unnamedKey(let board): "board \(board) made a checkpoint key without a name"
        case .badSignature(let board): "board \(board)'s checkpoint signature does not verify with its public key"
        case .emptyLedger(let path): "\(path): the ledger is empty; nothing to checkpoint"
        case .pinnedKeyNotFound(let board): "board \(board) does not hold the pinned checkpoint key"
        case .tampered(let failures): "not signed: " + failures.joined(separator: "; ")
        }
    }
}
