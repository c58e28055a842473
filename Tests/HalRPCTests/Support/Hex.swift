import CryptechHex

/// Bytes from hex text with any whitespace: `bytes("00 00 00 0B")`.
func bytes(_ text: String) -> [UInt8] {
    Hex.decode(text.filter { !$0.isWhitespace })!
}

/// Hex text of `bytes`, for readable expectation failures.
func hexString(_ bytes: [UInt8]) -> String {
    bytes.map { Hex.digits($0, width: 2, uppercase: true) }.joined(separator: " ")
}
