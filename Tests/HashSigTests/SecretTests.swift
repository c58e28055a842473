import Testing
@testable import HashSig

@Suite("Secrets")
struct SecretTests {
    @Test("A SEED is never printed")
    func redaction() throws {
        let bytes = [UInt8](repeating: 0xAB, count: 32)
        let seed = try LMS.Seed(bytes: bytes)
        for text in ["\(seed)", String(describing: seed), String(reflecting: seed), "\(Optional(seed) as Any)"] {
            #expect(!text.lowercased().contains("ab"), "\(text)")
        }
        #expect(seed.withUnsafeBytes { Array($0) } == bytes)
        #expect(seed == (try LMS.Seed(bytes: bytes)))
        #expect(seed != (try LMS.Seed.random()))
    }

    @Test("A SEED must be 32 bytes")
    func seedLength() {
        #expect(throws: HashSigError.invalidLength(.seed, expected: 32, actual: 31)) {
            try LMS.Seed(bytes: [UInt8](repeating: 0, count: 31))
        }
    }

    @Test("Fresh keys get fresh identifiers and randomizers")
    func freshness() throws {
        let a = try LMS.PrivateKey.generate(parameters: .h5w8)
        let b = try LMS.PrivateKey.generate(parameters: .h5w8)
        #expect(a.identifier != b.identifier)
        let first = try a.sign([1])
        let second = try a.sign([1])
        #expect(first.lmotsSignature.randomizer != second.lmotsSignature.randomizer)
    }
}
