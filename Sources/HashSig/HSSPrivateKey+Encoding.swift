// The storage encoding of an HSS private key, for software keys kept in files (the CLI).
// Secret: it holds each tree's SEED or private values. Not an RFC 8554 format; every integer is
// big-endian:
//
//   "HSSK" ‖ u32 version = 1 ‖ u32 L
//   ‖ (u32 length ‖ LMS private key, see LMSPrivateKey+Encoding.swift) × L
//   ‖ (u32 length ‖ LMS signature of the next level's public key) × (L - 1)

private let hssMagic: [UInt8] = Array("HSSK".utf8)
private let formatVersion: UInt32 = 1

extension HSS.PrivateKey {
    /// The key's storage encoding: every tree (secret material included), each lower tree's
    /// signature by its parent, and every level's next leaf index. Persist it after each
    /// signature and before releasing that signature; a key reloaded from it never re-issues a
    /// leaf it issued before the save.
    public var serializedRepresentation: [UInt8] {
        // Under the key's lock: no signature can happen while the trees, their indices and the
        // signatures over them are written out.
        withLockedState { trees, signedPublicKeys in
            var out = hssMagic
            out.appendUInt32(formatVersion)
            out.appendUInt32(UInt32(trees.count))
            for tree in trees {
                let encoded = tree.serializedRepresentation
                out.appendUInt32(UInt32(encoded.count))
                out += encoded
            }
            for signed in signedPublicKeys {
                let encoded = signed.signature.bytes
                out.appendUInt32(UInt32(encoded.count))
                out += encoded
            }
            return out
        }
    }

    /// Reloads a key from its storage encoding, rebuilding every tree (synchronous) and checking
    /// that each stored signature over a lower tree verifies.
    /// - Throws: ``HashSigError`` if the encoding is malformed,
    ///   ``HashSigError/publicKeyMismatch`` if a stored signature does not verify.
    public convenience init(serializedRepresentation bytes: [UInt8]) throws(HashSigError) {
        var reader = ByteReader(bytes, field: .hssPrivateKey)
        guard try reader.readBytes(4) == hssMagic, try reader.readUInt32() == formatVersion else {
            throw .invalidPrivateKeyEncoding(.hssPrivateKey, reason: "unknown format or version")
        }
        let levels = try reader.readUInt32()
        guard levels >= 1, levels <= 8 else { throw .levelCountOutOfRange(levels) }
        var trees: [LMS.PrivateKey] = []
        for _ in 0..<levels {
            let length = Int(try reader.readUInt32())
            try trees.append(LMS.PrivateKey(serializedRepresentation: reader.readBytes(length)))
        }
        var signed: [HSS.Signature.SignedPublicKey] = []
        for level in 1..<Int(levels) {
            let length = Int(try reader.readUInt32())
            let signature = try LMS.Signature(bytes: reader.readBytes(length))
            let publicKey = trees[level].publicKey
            guard trees[level - 1].publicKey.verify(signature, for: publicKey.bytes).isValid else {
                throw .publicKeyMismatch
            }
            signed.append(HSS.Signature.SignedPublicKey(signature: signature, publicKey: publicKey))
        }
        try reader.finish()
        try self.init(trees: trees, signedPublicKeys: signed)
    }
}
