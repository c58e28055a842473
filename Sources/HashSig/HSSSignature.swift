extension HSS {
    /// An HSS signature: `u32str(Nspk) ‖ (LMS signature ‖ signed LMS public key) × Nspk ‖ LMS
    /// signature of the message`, Nspk = L - 1 (RFC 8554 §6.2).
    public struct Signature: Hashable, Sendable {
        /// The public key of a lower level together with the signature over it by the level above.
        public struct SignedPublicKey: Hashable, Sendable {
            /// The signature by level i - 1 over ``publicKey``'s 56-byte encoding.
            public let signature: LMS.Signature
            /// The public key of level i.
            public let publicKey: LMS.PublicKey

            /// - Parameters:
            ///   - signature: level i - 1's LMS signature over `publicKey`'s encoding.
            ///   - publicKey: level i's LMS public key.
            public init(signature: LMS.Signature, publicKey: LMS.PublicKey) {
                self.signature = signature
                self.publicKey = publicKey
            }
        }

        /// The lower levels' public keys, each signed by the level above it, top first.
        public let signedPublicKeys: [SignedPublicKey]
        /// The bottom level's signature over the message.
        public let messageSignature: LMS.Signature

        /// Makes a signature from its parts.
        /// - Throws: ``HashSigError/levelCountOutOfRange(_:)`` for more than 7 signed public keys.
        public init(signedPublicKeys: [SignedPublicKey], messageSignature: LMS.Signature) throws(HashSigError) {
            guard signedPublicKeys.count < HSS.levelRange.upperBound else {
                throw .levelCountOutOfRange(UInt32(clamping: signedPublicKeys.count + 1))
            }
            self.signedPublicKeys = signedPublicKeys
            self.messageSignature = messageSignature
        }

        /// Parses the exact encoding of an HSS signature, taking every length from the type codes
        /// inside it (RFC 8554 §6.3).
        ///
        /// To check a signature against a key in the RFC's order (the level count first, then
        /// each level's types), use ``HSS/PublicKey/verify(signature:for:)`` on the raw bytes.
        /// - Throws: ``HashSigError`` for Nspk + 1 outside 1...8, an unknown type, a wrong length,
        ///   trailing bytes or q ≥ 2^h at any level.
        public init(bytes: [UInt8]) throws(HashSigError) {
            var reader = ByteReader(bytes, field: .hssSignature)
            let nspk = try reader.readUInt32()
            guard nspk < UInt32(HSS.levelRange.upperBound) else {
                throw .levelCountOutOfRange(nspk == .max ? nspk : nspk + 1)
            }
            guard case .parsed(let signature) = try Self.parse(&reader, signedKeyCount: Int(nspk), topKey: nil) else {
                preconditionFailure("no expected types, so no mismatch")
            }
            try reader.finish()
            self = signature
        }

        init(unchecked signedPublicKeys: [SignedPublicKey], _ messageSignature: LMS.Signature) {
            self.signedPublicKeys = signedPublicKeys
            self.messageSignature = messageSignature
        }

        enum ParseOutcome {
            case parsed(Signature)
            case mismatch(InvalidSignatureReason)
        }

        /// Parses the levels after Nspk. With `topKey`, each level's types are compared with the
        /// key it must verify under (the top key, then each signed public key) as RFC 8554
        /// §5.4.2 Algorithm 6a orders it.
        static func parse(_ reader: inout ByteReader, signedKeyCount: Int,
                          topKey: LMS.PublicKey?) throws(HashSigError) -> ParseOutcome {
            var signedPublicKeys: [SignedPublicKey] = []
            signedPublicKeys.reserveCapacity(signedKeyCount)
            var key = topKey
            for level in 0..<signedKeyCount {
                let signature: LMS.Signature
                switch try LMS.Signature.parse(&reader, expecting: key, level: level) {
                case .parsed(let parsed): signature = parsed
                case .mismatch(let reason): return .mismatch(reason)
                }
                let publicKey = try LMS.PublicKey(reading: &reader)
                signedPublicKeys.append(SignedPublicKey(signature: signature, publicKey: publicKey))
                if key != nil { key = publicKey }
            }
            switch try LMS.Signature.parse(&reader, expecting: key, level: signedKeyCount) {
            case .parsed(let messageSignature):
                return .parsed(Signature(unchecked: signedPublicKeys, messageSignature))
            case .mismatch(let reason):
                return .mismatch(reason)
            }
        }

        /// L, the number of levels: Nspk + 1.
        public var levels: Int { signedPublicKeys.count + 1 }

        /// The LMS signature made at each level, top first.
        public var lmsSignatures: [LMS.Signature] {
            signedPublicKeys.map(\.signature) + [messageSignature]
        }

        /// The leaf index q used at each level, top first.
        public var leafIndices: [UInt32] { lmsSignatures.map(\.leafIndex) }

        /// The leaf index q of the top tree: which of the top tree's one-time keys this signature
        /// consumed (what a share audit checks against the board's range).
        public var topLeafIndex: UInt32 {
            signedPublicKeys.first?.signature.leafIndex ?? messageSignature.leafIndex
        }

        /// Encoded length.
        public var length: Int {
            4 + signedPublicKeys.reduce(0) { $0 + $1.signature.length + LMS.PublicKey.length }
                + messageSignature.length
        }

        /// The RFC 8554 encoding.
        public var bytes: [UInt8] {
            var out: [UInt8] = []
            out.reserveCapacity(length)
            out.appendUInt32(UInt32(signedPublicKeys.count))
            for signed in signedPublicKeys {
                signed.signature.append(to: &out)
                signed.publicKey.append(to: &out)
            }
            messageSignature.append(to: &out)
            return out
        }
    }
}
