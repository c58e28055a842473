import CryptechHex

/// `0x0001_0000`-style text for a handle word: eight hex digits, as the board prints them.
func hex(_ word: UInt32) -> String {
    "0x" + Hex.digits(word, width: 8, uppercase: true)
}
