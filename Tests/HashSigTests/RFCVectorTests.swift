import RFC8554Vectors
import Foundation
import Testing
@testable import HashSig

@Suite("RFC 8554 Appendix F vectors")
struct RFCVectorTests {
    @Test("Test cases 1 and 2 verify", arguments: ["tc1.vec", "tc2.vec"])
    func positive(file: String) throws {
        let vector = try RFC8554Vectors.load(file)
        let publicKey = try HSS.PublicKey(bytes: vector.publicKey)
        #expect(try publicKey.verify(signature: vector.signature, for: vector.message) == .valid)
        #expect(publicKey.isValidSignature(vector.signature, for: vector.message))
        let signature = try HSS.Signature(bytes: vector.signature)
        #expect(publicKey.verify(signature, for: vector.message) == .valid)
        // Re-encoding reproduces the input exactly.
        #expect(signature.bytes == vector.signature)
        #expect(signature.length == vector.signature.count)
        #expect(publicKey.bytes == vector.publicKey)
    }

    @Test("The .bin and .hex copies agree with the .vec files", arguments: ["tc1", "tc2"])
    func binaryFiles(name: String) throws {
        let vector = try RFC8554Vectors.load("\(name).vec")
        let directory = RFC8554Vectors.directory.appendingPathComponent(name)
        #expect(try Array(Data(contentsOf: directory.appendingPathComponent("public_key.bin"))) == vector.publicKey)
        #expect(try Array(Data(contentsOf: directory.appendingPathComponent("signature.bin"))) == vector.signature)
        #expect(try Array(Data(contentsOf: directory.appendingPathComponent("message.txt"))) == vector.message)
    }

    /// Values that vectors.json reads out of the signatures.
    @Test("Parsed fields match the published intermediate values")
    func intermediates() throws {
        let tc1 = try HSS.Signature(bytes: RFC8554Vectors.load("tc1.vec").signature)
        #expect(tc1.leafIndices == [5, 10])
        #expect(tc1.topLeafIndex == 5)
        #expect(tc1.signedPublicKeys[0].signature.lmotsSignature.randomizer.hexString
            == "d32b56671d7eb98833c49b433c272586bc4a1c8a8970528ffa04b966f9426eb9")
        #expect(tc1.messageSignature.lmotsSignature.randomizer.hexString
            == "0703c491e7558b35011ece3592eaa5da4d918786771233e8353bc4f62323185c")
        #expect(tc1.signedPublicKeys[0].publicKey.identifier.hexString == "d2f14ff6346af964569f7d6cb880a1b6")
        let tc2 = try HSS.Signature(bytes: RFC8554Vectors.load("tc2.vec").signature)
        #expect(tc2.leafIndices == [3, 4])
        #expect(tc2.signedPublicKeys[0].signature.lmsType == .sha256M32H10)
        #expect(tc2.signedPublicKeys[0].signature.lmotsSignature.type == .sha256N32W4)
        #expect(tc2.messageSignature.lmsType == .sha256M32H5)
        #expect(tc2.messageSignature.lmotsSignature.type == .sha256N32W8)
    }

    @Test("Every negative vector fails with the expected kind", arguments: try RFC8554Vectors.negativeEntries())
    func negative(entry: RFC8554Vectors.NegativeEntry) throws {
        let vector = try RFC8554Vectors.load(entry.file)
        let outcome = Outcome(publicKey: vector.publicKey, signature: vector.signature, message: vector.message)
        #expect(outcome.kind == entry.kind, "\(entry.name): \(outcome)")
        // The Bool convenience agrees.
        let publicKey = try? HSS.PublicKey(bytes: vector.publicKey)
        #expect(publicKey?.isValidSignature(vector.signature, for: vector.message) != true)
    }

    /// The result of verifying raw bytes, classified as in negative/manifest.json.
    enum Outcome: CustomStringConvertible {
        case result(VerificationResult)
        case error(HashSigError)

        init(publicKey: [UInt8], signature: [UInt8], message: [UInt8]) {
            do {
                let key = try HSS.PublicKey(bytes: publicKey)
                self = .result(try key.verify(signature: signature, for: message))
            } catch {
                self = .error(error)
            }
        }

        var kind: String {
            switch self {
            case .result(.valid): "valid"
            case .result(.invalid(.rootMismatch)): "mismatch"
            case .result(.invalid(.levelCountMismatch)): "levels"
            case .result(.invalid(.lmotsTypeMismatch)), .result(.invalid(.lmsTypeMismatch)): "type-mismatch"
            case .error(.truncated), .error(.trailingBytes): "length"
            case .error(.leafIndexOutOfRange): "q-range"
            case .error(.unknownLMSType), .error(.unknownLMOTSType): "unknown-type"
            case .error(let error): "other error \(error)"
            }
        }

        var description: String {
            switch self {
            case .result(let result): "\(result)"
            case .error(let error): "error: \(error)"
            }
        }
    }
}
