import CryptechHex
import Testing

/// The one hex helper every module writes and reads hex text with.
@Suite struct HexTests {
    @Test func bytesRoundTripInLowerCase() {
        #expect(Hex.encode([0x00, 0x0A, 0xFF, 0x10]) == "000aff10")
        #expect(Hex.decode("000aff10") == [0x00, 0x0A, 0xFF, 0x10])
        #expect(Hex.decode("000AFF10") == [0x00, 0x0A, 0xFF, 0x10])
        #expect(Hex.decode("") == [])
    }

    @Test func anythingButEvenHexDigitsIsNoBytes() {
        #expect(Hex.decode("abc") == nil)
        #expect(Hex.decode("0g") == nil)
        #expect(Hex.decode("0x00") == nil)
        #expect(Hex.decode("00 ") == nil)
    }

    @Test func numbersArePaddedToTheirWidth() {
        #expect(Hex.digits(UInt32(0x4354_0004), uppercase: true) == "43540004")
        #expect(Hex.digits(UInt32(0x1_0000), width: 8, uppercase: true) == "00010000")
        #expect(Hex.digits(UInt16(0x403), width: 4) == "0403")
        #expect(Hex.digits(UInt8(0x0B), width: 2, uppercase: true) == "0B")
        #expect(Hex.digits(UInt32(0x12345), width: 2) == "12345", "a width is a minimum, never a cut")
        #expect(Hex.digits(UInt(0)) == "0")
    }
}
