import Testing
@testable import HashSig

@Suite("Parameter sets")
struct ParameterSetTests {
    /// RFC 8554 §4.1 Table 1: type code, w, p, ls, signature length (n = 32 throughout).
    static let lmotsTable: [(LMOTSType, UInt32, Int, Int, Int, Int)] = [
        (.sha256N32W1, 0x01, 1, 265, 7, 8516),
        (.sha256N32W2, 0x02, 2, 133, 6, 4292),
        (.sha256N32W4, 0x03, 4, 67, 4, 2180),
        (.sha256N32W8, 0x04, 8, 34, 0, 1124),
    ]

    /// RFC 8554 §5.1 Table 2: type code, h (m = 32 throughout).
    static let lmsTable: [(LMSType, UInt32, Int)] = [
        (.sha256M32H5, 0x05, 5), (.sha256M32H10, 0x06, 10), (.sha256M32H15, 0x07, 15),
        (.sha256M32H20, 0x08, 20), (.sha256M32H25, 0x09, 25),
    ]

    @Test("LM-OTS p, ls and lengths computed per Appendix B match Table 1")
    func lmots() throws {
        #expect(LMOTSType.allCases.count == Self.lmotsTable.count)
        for (type, code, w, p, ls, length) in Self.lmotsTable {
            #expect(type.rawValue == code)
            #expect(try LMOTSType(code: code) == type)
            #expect(type.n == 32)
            #expect(type.w == w)
            #expect(type.p == p)
            #expect(type.ls == ls)
            #expect(type.signatureLength == length)
            #expect(type.name == "LMOTS_SHA256_N32_W\(w)")
        }
    }

    @Test("LMS heights and codes match Table 2")
    func lms() throws {
        #expect(LMSType.allCases.count == Self.lmsTable.count)
        for (type, code, h) in Self.lmsTable {
            #expect(type.rawValue == code)
            #expect(try LMSType(code: code) == type)
            #expect(type.m == 32)
            #expect(type.height == h)
            #expect(type.leafCount == 1 << h)
            #expect(type.name == "LMS_SHA256_M32_H\(h)")
        }
    }

    @Test("Unknown and reserved type codes are refused", arguments: [UInt32(0), 10, 0xE000_0001, .max])
    func unknownLMS(code: UInt32) {
        #expect(throws: HashSigError.unknownLMSType(code)) { try LMSType(code: code) }
    }

    @Test("Unknown LM-OTS codes are refused", arguments: [UInt32(0), 5, 0x0000_0100, .max])
    func unknownLMOTS(code: UInt32) {
        #expect(throws: HashSigError.unknownLMOTSType(code)) { try LMOTSType(code: code) }
    }

    /// docs/wire-protocol.md §8.1: HSS signature sizes for L = 1 … 8 (0 where the board refuses).
    static let hssSizes: [(LMS.Parameters, [Int])] = [
        (.h5w2, [4464, 8980, 13496]),
        (.h5w4, [2352, 4756, 7160, 9564, 11968, 14372]),
        (.h5w8, [1296, 2644, 3992, 5340, 6688, 8036, 9384, 10732]),
        (LMS.Parameters(.sha256M32H10, .sha256N32W2), [4624, 9300, 13976]),
        (.h10w4, [2512, 5076, 7640, 10204, 12768, 15332]),
        (LMS.Parameters(.sha256M32H10, .sha256N32W8), [1456, 2964, 4472, 5980, 7488, 8996, 10504, 12012]),
    ]

    @Test("HSS signature lengths match the firmware table")
    func hssSignatureLengths() {
        for (parameters, sizes) in Self.hssSizes {
            for (index, size) in sizes.enumerated() {
                #expect(HSS.signatureLength(levels: Array(repeating: parameters, count: index + 1)) == size,
                        "\(parameters) L=\(index + 1)")
            }
        }
    }
}
