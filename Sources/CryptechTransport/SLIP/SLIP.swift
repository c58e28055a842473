import CryptechHex

/// SLIP framing (RFC 1055) as the Cryptech Alpha, its C and Python clients and the muxd use it.
///
/// ```
///  END | payload with C0 -> DB DC, DB -> DB DD | END
///  C0  | 00 00 00 0B ... DB DC DB DD 01 00      | C0
/// ```
///
/// Every sender starts a frame with END as well as ending it: a receiver that picked up line
/// noise (a half frame after a reopen, console bytes) completes that junk as a short frame
/// and drops it instead of gluing it onto the real frame.
public enum SLIP {
    /// Frame delimiter.
    public static let end: UInt8 = 0xC0
    /// Escape introducer.
    public static let esc: UInt8 = 0xDB
    /// `ESC ESC_END` stands for a data byte END.
    public static let escEnd: UInt8 = 0xDC
    /// `ESC ESC_ESC` stands for a data byte ESC.
    public static let escEsc: UInt8 = 0xDD

    /// True when any of the eight bytes of `word` is END or ESC. Word-at-a-time ("SWAR") zero
    /// byte test on `word ^ pattern`: plain integer arithmetic, so it stays fast in every build,
    /// where the generic `SIMD` types do not.
    @inline(__always)
    static func containsSpecialByte(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let a = word ^ 0xC0C0_C0C0_C0C0_C0C0
        let b = word ^ 0xDBDB_DBDB_DBDB_DBDB
        return (((a &- ones) & ~a) | ((b &- ones) & ~b)) & highs != 0
    }

    /// `HAL_RPC_MAX_PKT_SIZE`: the largest unescaped payload the Alpha accepts or sends.
    public static let maximumPayload = 16384
}

/// A framing fault found by ``SLIPDecoder``. The decoder reports it, drops the damaged frame
/// and resynchronises on the next END; it never stops decoding.
public enum SLIPError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A frame grew past the decoder's maximum; its bytes were discarded up to the next END.
    case frameTooLong(limit: Int)
    /// ESC was followed by a byte other than ESC_END or ESC_ESC; the frame was discarded.
    case invalidEscape(UInt8)
    /// The stream ended inside a frame; `received` bytes of it were discarded.
    case truncated(received: Int)

    /// One line naming the fault and what was discarded.
    public var description: String {
        switch self {
        case .frameTooLong(let limit): "SLIP frame longer than \(limit) bytes (discarded)"
        case .invalidEscape(let byte):
            "invalid SLIP escape 0xDB 0x\(Hex.digits(byte, width: 2, uppercase: true)) (frame discarded)"
        case .truncated(let received): "stream ended inside a SLIP frame after \(received) bytes"
        }
    }
}
