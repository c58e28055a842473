import CryptechHex

/// Bytes from hex text with any whitespace (DER tests' own helper, so as not to depend on other
/// suites' support files).
func derBytes(_ text: String) -> [UInt8] {
    Hex.decode(text.filter { !$0.isWhitespace })!
}

/// RFC 8554 test case 1's public key as the reference encodes it (docs/wire-protocol.md §8.2, §15 G15).
let testCase1HashSigSPKI = derBytes("""
    30 53 30 0F 06 0B 2A 86 48 86 F7 0D 01 09 10 03 11 05 00 03 40 00 30 3D
    02 01 02 02 01 05 02 01 04
    04 10 61 A5 D5 7D 37 F5 E4 6B FB 75 20 80 6B 07 A1 B8
    04 20 50 65 0E 3B 31 FE 4A 77 3E A2 9A 07 F0 9C F2 EA 30 E5 79 F0 DF 58 EF 8E 29 8D A0 43 4C B2 B8 78
    """)

/// The same key in RFC 8554 form (docs/wire-protocol.md §8.2).
let testCase1RawHSSPublicKey = derBytes("""
    00000002 00000005 00000004 61A5D57D37F5E46BFB7520806B07A1B8
    50650E3B31FE4A773EA29A07F09CF2EA30E579F0DF58EF8E298DA0434CB2B878
    """)
