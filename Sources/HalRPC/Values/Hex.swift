/// `0x0001_0000`-style text for a handle word: eight hex digits, as the board prints them.
func hex(_ word: UInt32) -> String {
    let digits = String(word, radix: 16, uppercase: true)
    return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
}
