/// How many entries the firmware's keystores hold (docs/wire-protocol.md §5.2 build defaults, §8.4).
enum KeystoreCapacity {
    /// The token (flash) keystore: 2048 blocks of 8 KiB. One of them holds the PIN records.
    static let tokenEntries = 2048
    /// Blocks the PIN records take in the token keystore.
    static let pinEntries = 1
    /// The volatile keystore's entries (build default; the README's 1280 is stale).
    static let volatileEntries = 4352
    /// One keystore block; a key's DER and its attributes must fit in it.
    static let blockSize = 8192
    /// Bytes of a block used by the block header and key metadata (a conservative figure:
    /// header, name, type, curve, flags, DER length, attribute count).
    static let blockOverhead = 64
    /// Bytes per stored attribute besides its value: 4-byte type, 16-bit length
    /// (docs/wire-protocol.md §4.3 PKEY_SET_ATTRIBUTES).
    static let attributeOverhead = 6
    /// The largest DER the keystore stores, `HAL_KS_WRAPPED_KEYSIZE`.
    static let maximumDER = 5480

    /// Whether a key with `derLength` bytes of DER and these attribute values fits one block.
    static func fits(derLength: Int, attributeValueLengths: [Int]) -> Bool {
        var used = blockOverhead + derLength
        for length in attributeValueLengths {
            guard length <= Int(UInt16.max) else { return false }
            used += attributeOverhead + length
        }
        return used <= blockSize
    }
}
