import FuzzDriver
import HashSig

// The HSS public key (RFC 8554 §6.1): canonical, so what decodes re-encodes to its bytes.
Fuzzer.run(seeds: {
    try [[LMS.Parameters(.sha256M32H5, .sha256N32W4)], [LMS.Parameters(.sha256M32H5, .sha256N32W8), LMS.Parameters(.sha256M32H5, .sha256N32W4)]].map { levels in
        try HSS.PrivateKey.generate(levels: levels, topKeys: .seed(LMS.Seed.random())).publicKey.bytes
    }
}) { bytes in
    if let key = try? HSS.PublicKey(bytes: bytes) {
        precondition(key.bytes == bytes, "an HSS public key does not re-encode to its bytes")
    }
}
