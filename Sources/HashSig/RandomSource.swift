import COpenSSL

/// Where key generation and signing get their randomness: I, SEEDs, random LM-OTS private values
/// and the randomizer C of every signature.
///
/// Internal so that tests can inject known values (to reproduce RFC 8554 Test Case 2 byte for
/// byte); production code always uses ``SystemRandom``.
protocol RandomSource {
    /// Fills `buffer`; `secret` says whether the bytes become private key material.
    func fill(_ buffer: UnsafeMutableRawBufferPointer, secret: Bool) throws(HashSigError)
}

/// OpenSSL's CSPRNG: `RAND_priv_bytes` for private key material (its separate DRBG instance),
/// `RAND_bytes` for public values (I, C).
struct SystemRandom: RandomSource {
    func fill(_ buffer: UnsafeMutableRawBufferPointer, secret: Bool) throws(HashSigError) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        let status = secret ? RAND_priv_bytes(bytes, Int32(buffer.count)) : RAND_bytes(bytes, Int32(buffer.count))
        guard status == 1 else {
            throw .randomGeneratorFailure(errorCode: UInt(ERR_get_error()))
        }
    }
}

extension RandomSource {
    /// `count` public random bytes.
    func publicBytes(_ count: Int) throws(HashSigError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        let result = bytes.withUnsafeMutableBytes { buffer in
            Result { () throws(HashSigError) in try fill(buffer, secret: false) }
        }
        try result.get()
        return bytes
    }
}
