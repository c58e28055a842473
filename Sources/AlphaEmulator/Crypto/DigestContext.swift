import COpenSSL
import HalRPC

/// An incremental hash or HMAC (RFC 2104) over one of the board's digest algorithms: what a
/// HASH_INITIALIZE handle holds (docs/wire-protocol.md §7).
///
/// Single use: ``finalize()`` ends it, as HASH_FINALIZE frees the board's handle. Not
/// `Sendable`: it is mutable state that one hash handle owns; the emulator keeps it in its hash
/// table and touches it from one request at a time.
///
///     let context = try DigestContext(algorithm: .sha256)
///     try context.update(Array("abc".utf8))
///     let digest = try context.finalize()
public final class DigestContext {
    /// The digest algorithm.
    public let algorithm: DigestAlgorithm
    /// Whether this is an HMAC (made with a key) rather than a plain hash.
    public let isHMAC: Bool
    /// The output length in bytes.
    public let digestLength: Int

    private enum Backend {
        /// An `EVP_MD_CTX`.
        case digest(OpaquePointer)
        /// An `EVP_MAC_CTX` for HMAC.
        case hmac(OpaquePointer)
    }

    private let backend: Backend
    private var isFinalized = false

    /// A plain hash.
    /// - Parameter algorithm: any algorithm with a `DigestAlgorithm/digestLength` (SHA-224
    ///   included; the RPC layer checks `DigestAlgorithm/isServedByHashRPC`).
    /// - Throws: ``CryptoError/invalidArgument(_:)`` for `none` or an unknown code,
    ///   ``CryptoError/openSSL(_:)`` if OpenSSL cannot set it up.
    public init(algorithm: DigestAlgorithm) throws(CryptoError) {
        let md = try Self.digest(for: algorithm)
        guard let context = EVP_MD_CTX_new() else { throw .openSSL(.capture("EVP_MD_CTX_new")) }
        guard EVP_DigestInit_ex(context, md, nil) == 1 else {
            let error = OpenSSLError.capture("EVP_DigestInit_ex")
            EVP_MD_CTX_free(context)
            throw .openSSL(error)
        }
        self.algorithm = algorithm
        self.isHMAC = false
        self.digestLength = Int(EVP_MD_get_size(md))
        self.backend = .digest(context)
    }

    /// An HMAC keyed with `hmacKey` (RFC 2104: a key longer than the block length is hashed
    /// first; any length is allowed, even empty).
    /// - Parameters:
    ///   - algorithm: as for ``init(algorithm:)``.
    ///   - hmacKey: the key. OpenSSL copies it; the caller may wipe its copy afterwards.
    /// - Throws: as ``init(algorithm:)``.
    public init(algorithm: DigestAlgorithm, hmacKey: [UInt8]) throws(CryptoError) {
        let md = try Self.digest(for: algorithm)
        guard let mac = EVP_MAC_fetch(nil, "HMAC", nil) else { throw .openSSL(.capture("EVP_MAC_fetch")) }
        // The context holds its own reference to the MAC.
        defer { EVP_MAC_free(mac) }
        guard let context = EVP_MAC_CTX_new(mac) else { throw .openSSL(.capture("EVP_MAC_CTX_new")) }
        // A non-null pointer even for an empty key: OpenSSL reads a null key as "keep the
        // previous key", of which there is none.
        let keyBytes = hmacKey.isEmpty ? [0] : hmacKey
        let status = keyBytes.withUnsafeBufferPointer { key in
            var parameters = [
                OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, UnsafeMutablePointer(mutating: EVP_MD_get0_name(md)), 0),
                OSSL_PARAM_construct_end(),
            ]
            return EVP_MAC_init(context, key.baseAddress, hmacKey.count, &parameters)
        }
        guard status == 1 else {
            let error = OpenSSLError.capture("EVP_MAC_init")
            EVP_MAC_CTX_free(context)
            throw .openSSL(error)
        }
        self.algorithm = algorithm
        self.isHMAC = true
        self.digestLength = Int(EVP_MD_get_size(md))
        self.backend = .hmac(context)
    }

    deinit {
        switch backend {
        case .digest(let context): EVP_MD_CTX_free(context)
        // EVP_MAC_CTX_free cleanses the keyed state.
        case .hmac(let context): EVP_MAC_CTX_free(context)
        }
    }

    /// Adds `data` to the input. Empty data is a no-op (HASH_UPDATE, docs/wire-protocol.md §7).
    /// - Throws: ``CryptoError/invalidArgument(_:)`` after ``finalize()``,
    ///   ``CryptoError/openSSL(_:)`` if OpenSSL fails.
    public func update(_ data: [UInt8]) throws(CryptoError) {
        guard !isFinalized else { throw .invalidArgument("hash context already finalized") }
        guard !data.isEmpty else { return }
        let ok = data.withUnsafeBytes { buffer in
            switch backend {
            case .digest(let context): EVP_DigestUpdate(context, buffer.baseAddress, buffer.count) == 1
            case .hmac(let context):
                EVP_MAC_update(context, buffer.baseAddress?.assumingMemoryBound(to: UInt8.self), buffer.count) == 1
            }
        }
        guard ok else { throw .openSSL(.capture(isHMAC ? "EVP_MAC_update" : "EVP_DigestUpdate")) }
    }

    /// Ends the computation and returns the digest (or MAC), ``digestLength`` bytes.
    /// - Throws: ``CryptoError/invalidArgument(_:)`` if already finalized,
    ///   ``CryptoError/openSSL(_:)`` if OpenSSL fails.
    public func finalize() throws(CryptoError) -> [UInt8] {
        guard !isFinalized else { throw .invalidArgument("hash context already finalized") }
        isFinalized = true
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length = 0
        let ok = output.withUnsafeMutableBufferPointer { buffer in
            switch backend {
            case .digest(let context):
                var size: UInt32 = 0
                defer { length = Int(size) }
                return EVP_DigestFinal_ex(context, buffer.baseAddress, &size) == 1
            case .hmac(let context):
                return EVP_MAC_final(context, buffer.baseAddress, &length, buffer.count) == 1
            }
        }
        guard ok, length == digestLength else {
            throw .openSSL(.capture(isHMAC ? "EVP_MAC_final" : "EVP_DigestFinal_ex"))
        }
        return Array(output.prefix(length))
    }

    /// Ends the computation and returns the PKCS#1 DigestInfo of the digest: what the board
    /// signs with an RSA key given a hash handle (docs/wire-protocol.md §4.3 PKEY_SIGN, §7).
    /// - Throws: as ``finalize()``; ``CryptoError/invalidArgument(_:)`` for an HMAC context
    ///   (a MAC is not a digest).
    public func finalizeDigestInfo() throws(CryptoError) -> [UInt8] {
        guard !isHMAC else { throw .invalidArgument("no DigestInfo for an HMAC") }
        let digest = try finalize()
        do {
            return try algorithm.digestInfo(digest: digest)
        } catch {
            throw .malformedDER(error)
        }
    }

    /// The digest of `data` in one call.
    /// - Throws: as ``init(algorithm:)``.
    public static func hash(_ algorithm: DigestAlgorithm, _ data: [UInt8]) throws(CryptoError) -> [UInt8] {
        let context = try DigestContext(algorithm: algorithm)
        try context.update(data)
        return try context.finalize()
    }

    /// The HMAC of `data` under `key` in one call.
    /// - Throws: as ``init(algorithm:hmacKey:)``.
    public static func hmac(_ algorithm: DigestAlgorithm, key: [UInt8], _ data: [UInt8]) throws(CryptoError) -> [UInt8] {
        let context = try DigestContext(algorithm: algorithm, hmacKey: key)
        try context.update(data)
        return try context.finalize()
    }

    private static func digest(for algorithm: DigestAlgorithm) throws(CryptoError) -> OpaquePointer {
        guard let md = algorithm.openSSLDigest else {
            throw .invalidArgument("no digest for \(algorithm)")
        }
        return md
    }
}
