import RFC8554Vectors
import HashSig
import Testing
@testable import HashSigHost

/// SHA-256 through OpenSSL but not as `OpenSSLHashEngine`, so verification takes the generic
/// path a hardware engine takes (every hash through the engine).
struct GenericEngine: HashEngine {
    func sha256(_ message: [UInt8]) async throws -> [UInt8] {
        SHA256Digest(of: message).bytes
    }
}

@Suite("Verification policy")
struct VerificationPolicyTests {
    @Test("Software and engine-backed paths give the same verdict on every RFC 8554 vector", arguments: try RFC8554Vectors.all())
    func agree(file: String) async throws {
        let vector = try RFC8554Vectors.load(file)
        guard let publicKey = try? HSS.PublicKey(bytes: vector.publicKey) else {
            // A malformed public key is refused before any policy runs.
            return
        }
        let generic = VerificationPolicy(engine: GenericEngine(), name: "generic")
        let software = await Result { try await VerificationPolicy.software.verify(signature: vector.signature, message: vector.message, publicKey: publicKey) }
        let other = await Result { try await generic.verify(signature: vector.signature, message: vector.message, publicKey: publicKey) }
        switch (software, other) {
        case (.success(let a), .success(let b)): #expect(a == b)
        case (.failure(let a as HashSigError), .failure(let b as HashSigError)): #expect(a == b)
        default: Issue.record("software \(software) vs generic \(other)")
        }
        if file == "tc1.vec" || file == "tc2.vec" {
            #expect(try software.get() == .valid)
        }
    }

    @Test("The vectors are there (the agreement test is not vacuous)")
    func vectorsPresent() throws {
        #expect(try RFC8554Vectors.all().count > 20)
    }
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
