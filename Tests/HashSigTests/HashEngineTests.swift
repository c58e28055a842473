import RFC8554Vectors
import Foundation
import Testing
@testable import HashSig

/// A SHA-256 engine that is not the OpenSSL engine (so verification takes the generic path)
/// and counts what it is asked.
final class CountingEngine: HashEngine, @unchecked Sendable {
    // NSLock rather than Synchronization.Mutex: the package still builds for macOS 14.
    private let lock = NSLock()
    private var counts = (hashes: 0, batches: 0)

    var hashes: Int { lock.withLock { counts.hashes } }
    var batches: Int { lock.withLock { counts.batches } }

    func sha256(_ message: [UInt8]) async throws -> [UInt8] {
        lock.withLock { counts.hashes += 1 }
        return HashSig.sha256(message)
    }

    func sha256(batch messages: [[UInt8]]) async throws -> [[UInt8]] {
        lock.withLock {
            counts.hashes += messages.count
            counts.batches += 1
        }
        return messages.map(HashSig.sha256)
    }
}

/// An engine that fails, as an RPC engine does when the board goes away.
struct FailingEngine: HashEngine {
    struct Gone: Error {}
    func sha256(_ message: [UInt8]) async throws -> [UInt8] { throw Gone() }
}

@Suite("Hash engines")
struct HashEngineTests {
    @Test("The generic path verifies the RFC test cases", arguments: ["tc1.vec", "tc2.vec"])
    func generic(file: String) async throws {
        let vector = try RFC8554Vectors.load(file)
        let publicKey = try HSS.PublicKey(bytes: vector.publicKey)
        let engine = CountingEngine()
        #expect(try await publicKey.verify(signature: vector.signature, for: vector.message, using: engine) == .valid)
        #expect(engine.hashes > 1000)
        let openSSL = OpenSSLHashEngine()
        #expect(try await publicKey.verify(signature: vector.signature, for: vector.message, using: openSSL) == .valid)
    }

    @Test("Generic and fast paths agree on every negative vector", arguments: try RFC8554Vectors.negativeEntries())
    func agree(entry: RFC8554Vectors.NegativeEntry) async throws {
        let vector = try RFC8554Vectors.load(entry.file)
        guard let publicKey = try? HSS.PublicKey(bytes: vector.publicKey) else { return }
        let fast = Result { try publicKey.verify(signature: vector.signature, for: vector.message) }
        let generic = await Result {
            try await publicKey.verify(signature: vector.signature, for: vector.message, using: CountingEngine())
        }
        switch (fast, generic) {
        case (.success(let a), .success(let b)): #expect(a == b)
        case (.failure(let a as HashSigError), .failure(let b as HashSigError)): #expect(a == b)
        default: Issue.record("fast \(fast) vs generic \(generic)")
        }
    }

    @Test("Generic and fast paths agree on fresh signatures of every LM-OTS type", arguments: LMOTSType.allCases)
    func agreeFresh(type: LMOTSType) async throws {
        let key = try HSS.PrivateKey.generate(levels: [LMS.Parameters(.sha256M32H5, type)])
        let signature = try key.sign([1, 2, 3])
        let engine = CountingEngine()
        #expect(try await key.publicKey.verify(signature, for: [1, 2, 3], using: engine) == .valid)
        #expect(try await key.publicKey.verify(signature, for: [1, 2, 4], using: engine)
            == .invalid(.rootMismatch(level: 0)))
        // One batch per chain step at most, not one round trip per hash.
        #expect(engine.batches <= 2 * type.chainEnd)
    }

    @Test("Engine errors propagate")
    func failure() async throws {
        let vector = try RFC8554Vectors.load("tc1.vec")
        let publicKey = try HSS.PublicKey(bytes: vector.publicKey)
        await #expect(throws: FailingEngine.Gone.self) {
            try await publicKey.verify(signature: vector.signature, for: vector.message, using: FailingEngine())
        }
    }
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
