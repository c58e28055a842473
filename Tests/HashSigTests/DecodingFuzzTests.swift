import HashSig
import RFC8554Vectors
import RandomInputs
import Testing

/// Random and damaged HSS public keys and signatures (what a board or a signature file hands
/// the host) against their decoders: each returns a value or a typed ``HashSigError``, never
/// traps; the encoding is canonical, so what decodes re-encodes to the very same bytes. A
/// count or type field set huge must not size an allocation (it would trap or exhaust memory).
@Suite struct DecodingFuzzTests {
    let vectors: [RFC8554Vectors.Case]

    init() throws {
        vectors = try ["tc1.vec", "tc2.vec"].map(RFC8554Vectors.load)
    }

    /// The type codes and counts a mutation should try: every defined LMS and LM-OTS type,
    /// and L from 0 to 9 (one past each end of 1...8).
    static let dictionary: [[UInt8]] = (0...9).map { [0, 0, 0, UInt8($0)] } + [[0, 0, 0, 0x0A], [0, 0, 0, 0x0F]]

    @Test func publicKeys() async {
        let inputs = RandomInputs(seed: 0x4855_5353, valid: vectors.map(\.publicKey), dictionary: Self.dictionary)
        let run = await RoundTripRun.run(inputs, canonical: true, decode: { try? HSS.PublicKey(bytes: $0) }, encode: \.bytes)
        #expect(run.decoded > 1000)
        #expect(run.mismatches.isEmpty, "\(run.mismatches)")
    }

    @Test func signatures() async {
        let inputs = RandomInputs(seed: 0x5349_4753, valid: vectors.map(\.signature), dictionary: Self.dictionary)
        let run = await RoundTripRun.run(inputs, canonical: true, decode: { try? HSS.Signature(bytes: $0) }, encode: \.bytes)
        #expect(run.decoded > 1000)
        #expect(run.mismatches.isEmpty, "\(run.mismatches)")
    }
}
