import RFC8554Vectors
import Foundation
import HalRPC
import HashSig
import Testing
@testable import HashSigHost

/// The board-backed hash engine against the software one, on a real `cryptech-emulator`.
@Suite("Verification on the board's hash cores", .serialized, .enabled(if: try BuiltExecutables.present(EmulatorBoard.executable), "build cryptech-emulator first"))
struct BoardVerificationTests {
    @Test("Software and board hash cores agree on the RFC 8554 vectors", arguments: ["tc1.vec", "tc2.vec", "negative/tc1-sig-bitflip-bottom-y.vec", "negative/tc2-sig-bitflip-top-C.vec", "negative/tc1-msg-bitflip.vec"])
    func rfcVectors(file: String) async throws {
        let directory = try TemporaryDirectory()
        try await EmulatorBoard.with("H", in: directory) { board in
            let vector = try RFC8554Vectors.load(file)
            let publicKey = try HSS.PublicKey(bytes: vector.publicKey)
            let software = try await VerificationPolicy.software.verify(signature: vector.signature, message: vector.message, publicKey: publicKey)
            let hardware = try await VerificationPolicy.board(board.client, name: "H").verify(signature: vector.signature, message: vector.message,
                                                                                                 publicKey: publicKey)
            #expect(software == hardware)
            #expect((software == .valid) == !file.hasPrefix("negative/"))
        }
    }

    @Test("Software and board hash cores agree on the emulator's own signatures, good and altered")
    func emulatorSignatures() async throws {
        try await BoardFixture.with(["A"], lms: .sha256N32H5) { fixture in
            let state = try fixture.ledger.state(of: fixture.key)
            let key = try await BoardHashsigKey.open(KeyName(uuidString: state.holdings[board("A")]!.keyName)!, on: fixture.board("A").link)
            let message = Array("signed by the software Alpha".utf8)
            let signature = try await key.key.sign(message)
            var altered = signature
            altered[altered.count / 2] ^= 0x10
            let hardware = VerificationPolicy.board(fixture.board("A").client, name: "A")
            for (bytes, text) in [(signature, message), (altered, message), (signature, message + [0])] {
                let a = try await VerificationPolicy.software.verify(signature: bytes, message: text, publicKey: fixture.publicKey)
                let b = try await hardware.verify(signature: bytes, message: text, publicKey: fixture.publicKey)
                #expect(a == b)
            }
            #expect(try await hardware.verify(signature: signature, message: message, publicKey: fixture.publicKey) == .valid)
            // The board's SubjectPublicKeyInfo parses to the same RFC 8554 key.
            #expect(try HSS.PublicKey(boardDER: try await key.key.publicKey()) == fixture.publicKey)
        }
    }

    @Test("The board engine computes SHA-256 like OpenSSL, empty and multi-chunk inputs included")
    func digests() async throws {
        let directory = try TemporaryDirectory()
        try await EmulatorBoard.with("H", in: directory) { board in
            let engine = BoardHashEngine(client: board.client)
            for length in [0, 1, 55, 56, 64, 1000, 20_000] {
                let input = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31) }
                let digest = try await engine.sha256(input)
                #expect(digest == SHA256Digest(of: input).bytes)
            }
        }
    }
}
