import FuzzDriver
import HashSig

// The HSS signature (RFC 8554 §6.2): canonical, so what decodes re-encodes to its bytes.
Fuzzer.run(seeds: {
    try [[LMS.Parameters(.sha256M32H5, .sha256N32W4)], [LMS.Parameters(.sha256M32H5, .sha256N32W8), LMS.Parameters(.sha256M32H5, .sha256N32W4)]].map { levels in
        let key = try HSS.PrivateKey.generate(levels: levels, topKeys: .seed(LMS.Seed.random()))
        return try key.sign(Array("fuzz".utf8)).bytes
    }
}) { bytes in
    if let signature = try? HSS.Signature(bytes: bytes) {
        precondition(signature.bytes == bytes, "an HSS signature does not re-encode to its bytes")
    }
}
