import CryptechHex

/// A key's flag bits (`hal_key_flags_t`, docs/wire-protocol.md §5.2). Bits this library does not name
/// are kept as sent.
public struct KeyFlags: OptionSet, XDRWord, CustomStringConvertible {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `HAL_KEY_FLAG_USAGE_DIGITALSIGNATURE`: needed to sign and verify.
    public static let digitalSignature = KeyFlags(rawValue: 0x01)
    /// `HAL_KEY_FLAG_USAGE_KEYENCIPHERMENT`: needed for a KEKEK in export and import.
    public static let keyEncipherment = KeyFlags(rawValue: 0x02)
    /// `HAL_KEY_FLAG_USAGE_DATAENCIPHERMENT`.
    public static let dataEncipherment = KeyFlags(rawValue: 0x04)
    /// `HAL_KEY_FLAG_TOKEN`: kept in the flash keystore; otherwise a volatile session key.
    public static let token = KeyFlags(rawValue: 0x08)
    /// `HAL_KEY_FLAG_PUBLIC`: readable without login (PKCS#11 "not private").
    public static let `public` = KeyFlags(rawValue: 0x10)
    /// `HAL_KEY_FLAG_EXPORTABLE`: may leave the board wrapped by PKEY_EXPORT.
    public static let exportable = KeyFlags(rawValue: 0x20)

    /// Every bit the board accepts; any other bit makes LOAD, GENERATE_* and IMPORT answer
    /// `HAL_ERROR_BAD_ARGUMENTS`.
    public static let all: KeyFlags = [.digitalSignature, .keyEncipherment, .dataEncipherment, .token, .public, .exportable]

    public var description: String {
        let names: [(KeyFlags, String)] = [
            (.digitalSignature, "digitalSignature"), (.keyEncipherment, "keyEncipherment"),
            (.dataEncipherment, "dataEncipherment"), (.token, "token"), (.public, "public"),
            (.exportable, "exportable"),
        ]
        var parts = names.filter { contains($0.0) }.map(\.1)
        let unnamed = rawValue & ~KeyFlags.all.rawValue
        if unnamed != 0 { parts.append("0x" + Hex.digits(unnamed)) }
        return "[" + parts.joined(separator: ", ") + "]"
    }
}
