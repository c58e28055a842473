extension LMS {
    /// A 32-byte SEED from which a tree's LM-OTS private values are derived
    /// (RFC 8554 Appendix A): x_q[i] = H(I ‖ u32str(q) ‖ u16str(i) ‖ u8str(0xFF) ‖ SEED).
    ///
    /// Secret: kept in memory that is wiped when the last copy goes away, and never printed
    /// (`description` and the mirror are redacted).
    public struct Seed: Sendable {
        /// Length of a SEED: m bytes for the SHA-256 parameter sets.
        public static let length = 32

        let storage: SecretBytes

        /// Wraps a SEED.
        /// - Throws: ``HashSigError/invalidLength(_:expected:actual:)`` unless 32 bytes.
        public init(bytes: some Collection<UInt8>) throws(HashSigError) {
            guard bytes.count == Self.length else {
                throw .invalidLength(.seed, expected: Self.length, actual: bytes.count)
            }
            storage = SecretBytes(copying: bytes)
        }

        init(storage: SecretBytes) {
            self.storage = storage
        }

        /// A fresh SEED from OpenSSL's private DRBG.
        /// - Throws: ``HashSigError/randomGeneratorFailure(errorCode:)``.
        public static func random() throws(HashSigError) -> Seed {
            try random(from: SystemRandom())
        }

        static func random(from source: some RandomSource) throws(HashSigError) -> Seed {
            Seed(storage: try SecretBytes(randomCount: length, from: source))
        }

        /// Calls `body` with the SEED's bytes, for export (wrapping) by the caller. Do not let the
        /// pointer escape.
        public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
            try body(storage.buffer)
        }
    }
}

extension LMS.Seed: Equatable {
    /// Constant-time comparison.
    public static func == (lhs: LMS.Seed, rhs: LMS.Seed) -> Bool {
        lhs.storage.isEqual(to: rhs.storage)
    }
}

extension LMS.Seed: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Never the seed's bytes: anyone who has SEED can make every one-time key of the tree, and
    /// a value printed or logged by mistake must not leak it.
    public var description: String { "LMS.Seed(redacted)" }
    /// The same redacted text, so `debugPrint` cannot leak the seed either.
    public var debugDescription: String { description }
    /// A mirror with no children, so `dump` and debuggers show nothing of the seed.
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
