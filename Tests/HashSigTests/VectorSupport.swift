import CryptechHex
import Foundation
import RFC8554Vectors
import Testing

extension RFC8554Vectors.NegativeEntry: CustomTestStringConvertible {
    public var testDescription: String { file }
}

extension Array where Element == UInt8 {
    var hexString: String { Hex.encode(self) }
}
