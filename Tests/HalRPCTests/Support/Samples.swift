import HalRPC

/// At least one ``Sample`` per RPC function, with the variants whose reply layout differs.
enum Samples {
    static let name1 = KeyName(uuidString: "4d1f3c2e-8a7b-4c6d-9e0f-1a2b3c4d5e6f")!
    static let name2 = KeyName(uuidString: "ffeeddcc-bbaa-4988-b766-554433221100")!
    static let pkey = PKeyHandle(rawValue: 0x8001_0000)
    static let hash = HashHandle(rawValue: 0x0001_0000)
    static let session = SessionHandle(rawValue: 7)
    /// An 85-byte SubjectPublicKeyInfo (the client refuses public keys that are none).
    static let spki85 = DER.SubjectPublicKeyInfo(
        algorithm: DER.AlgorithmIdentifier(.ecPublicKey, parameters: .null), publicKey: Array(repeating: 0x42, count: 67)).der

    static let all: [Sample] = [
        Sample(RPC.GetVersion.self, request: .init(), reply: .init(version: RPCLimits.version)),
        Sample(RPC.GetRandom.self, request: .init(count: 6), reply: .init(bytes: [1, 2, 3, 4, 5, 6]), lengthWords: [0]),
        Sample(RPC.SetPIN.self, request: .init(user: .wheel, pin: PIN("YouReallyNeedToChangeThisPIN")), reply: .init()),
        Sample(RPC.Login.self, request: .init(user: .normal, pin: PIN("fnord")), reply: .init()),
        Sample(RPC.Logout.self, request: .init(), reply: .init()),
        Sample(RPC.LogoutAll.self, request: .init(), reply: .init()),
        Sample(RPC.IsLoggedIn.self, request: .init(user: .securityOfficer), reply: .init()),
        Sample(RPC.HashGetDigestLength.self, request: .init(algorithm: .sha256), reply: .init(length: 32)),
        Sample(
            RPC.HashGetDigestAlgorithmID.self, "length query", request: .init(algorithm: .sha256, maximumLength: 0),
            reply: .length(15)),
        Sample(
            RPC.HashGetDigestAlgorithmID.self, "DER", request: .init(algorithm: .sha1, maximumLength: 256),
            reply: .der(bytes("30 09 06 05 2B 0E 03 02 1A 05 00")), lengthWords: [0]),
        Sample(RPC.HashGetAlgorithm.self, request: .init(hash: hash), reply: .init(algorithm: .sha512_256)),
        Sample(
            RPC.HashInitialize.self, request: .init(session: session, algorithm: .sha384, key: Array("hmac key".utf8)),
            reply: .init(hash: HashHandle(rawValue: 0x8000_0003))),
        Sample(RPC.HashUpdate.self, request: .init(hash: hash, data: bytes("C0 DB 01")), reply: .init()),
        Sample(
            RPC.HashFinalize.self, request: .init(hash: hash, length: 20), reply: .init(digest: Array(repeating: 0xAB, count: 20)),
            lengthWords: [0]),
        // The board answers as many bytes as asked for: the digest, then zeros (docs/wire-protocol.md §4.3).
        Sample(
            RPC.HashFinalize.self, "longer than the digest", request: .init(hash: hash, length: 30),
            reply: .init(digest: Array(repeating: 0xAB, count: 20) + Array(repeating: 0, count: 10)), lengthWords: [0]),
        Sample(
            RPC.PKeyLoad.self, request: .init(session: session, der: Array(repeating: 0x30, count: 85), flags: .digitalSignature),
            reply: NewKey(pkey: pkey, name: name1), lengthWords: [4]),
        Sample(RPC.PKeyOpen.self, request: .init(session: session, name: name1), reply: .init(pkey: pkey)),
        Sample(
            RPC.PKeyGenerateRSA.self,
            request: .init(session: session, keyLength: 2048, publicExponent: RPC.PKeyGenerateRSA.defaultPublicExponent, flags: [.keyEncipherment, .token]),
            reply: NewKey(pkey: pkey, name: name2), lengthWords: [4]),
        Sample(
            RPC.PKeyGenerateEC.self, request: .init(session: session, curve: .p384, flags: [.digitalSignature, .public]),
            reply: NewKey(pkey: pkey, name: name1), lengthWords: [4]),
        Sample(RPC.PKeyClose.self, request: .init(pkey: pkey), reply: .init()),
        Sample(RPC.PKeyDelete.self, request: .init(pkey: pkey), reply: .init()),
        Sample(RPC.PKeyGetKeyType.self, request: .init(pkey: pkey), reply: .init(type: .hashsigPrivate)),
        Sample(RPC.PKeyGetKeyFlags.self, request: .init(pkey: pkey), reply: .init(flags: [.digitalSignature, .token, .exportable])),
        Sample(RPC.PKeyGetPublicKeyLength.self, request: .init(pkey: pkey), reply: .init(length: 85)),
        Sample(
            RPC.PKeyGetPublicKey.self, request: .init(pkey: pkey, maximumLength: 85), reply: .init(der: spki85),
            lengthWords: [0]),
        Sample(
            RPC.PKeySign.self, request: .init(pkey: pkey, hash: .noHandle, input: Array("abc".utf8), signatureMaximum: 2644),
            reply: .init(signature: Array(repeating: 0x99, count: 2644)), lengthWords: [0]),
        Sample(
            RPC.PKeySign.self, "hash handle", request: .init(pkey: pkey, hash: hash, input: [], signatureMaximum: 132),
            reply: .init(signature: Array(repeating: 0x17, count: 131)), lengthWords: [0]),
        Sample(
            RPC.PKeyVerify.self, request: .init(pkey: pkey, hash: .noHandle, input: Array("abc".utf8), signature: [1, 2, 3, 4, 5]),
            reply: .init()),
        Sample(
            RPC.PKeyMatch.self,
            request: .init(
                session: session, type: .rsaPrivate, curve: .none, mask: [.token], flags: [.token],
                attributes: [Attribute(type: AttributeType(rawValue: 3), value: Array("ab".utf8)), Attribute(type: AttributeType(rawValue: 0x102), value: [])],
                state: .token, resultMaximum: 64, previous: name1),
            reply: .init(state: .volatile, names: [name2, name1]), lengthWords: [4, 8]),
        Sample(RPC.PKeyGetKeyCurve.self, request: .init(pkey: pkey), reply: .init(curve: .p521)),
        Sample(
            RPC.PKeySetAttributes.self,
            request: .init(pkey: pkey, updates: [.set(AttributeType(rawValue: 3), Array("ab".utf8)), .delete(AttributeType(rawValue: 4)), .set(.hashsigRangeEnd, [])]),
            reply: .init()),
        Sample(
            RPC.PKeyGetAttributes.self, "lengths", request: .init(pkey: pkey, types: [AttributeType(rawValue: 3), .hashsigNextIndex], bufferLength: 0),
            reply: .lengths([AttributeLength(type: AttributeType(rawValue: 3), length: 2), AttributeLength(type: .hashsigNextIndex, length: 4)]),
            lengthWords: [0]),
        Sample(
            RPC.PKeyGetAttributes.self, "values", request: .init(pkey: pkey, types: [AttributeType(rawValue: 3), .hashsigRangeStart], bufferLength: 6),
            reply: .values([Attribute(type: AttributeType(rawValue: 3), value: Array("ab".utf8)), Attribute(type: .hashsigRangeStart, value: [0, 0, 2, 0])]),
            lengthWords: [0, 8]),
        Sample(
            RPC.PKeyExport.self, "reference", request: .init(pkey: pkey, kekek: PKeyHandle(rawValue: 0x0002_0001), pkcs8Maximum: 5480, kekMaximum: 512),
            reply: .init(pkcs8: Array(repeating: 0x30, count: 155), kek: Array(repeating: 0x31, count: 277)), lengthWords: [0, 160]),
        Sample(
            RPC.PKeyExport.self, "SX1",
            request: .init(pkey: pkey, kekek: PKeyHandle(rawValue: 0x0002_0001), pkcs8Maximum: 5480, kekMaximum: 512, shareCount: 256),
            reply: .init(pkcs8: Array(repeating: 0x30, count: 155), kek: Array(repeating: 0x31, count: 277), shareRange: .init(start: 768, end: 1024)),
            lengthWords: [0, 160], optionalTail: 8),
        Sample(
            RPC.PKeyExport.self, "SX1, legacy board",
            request: .init(pkey: pkey, kekek: PKeyHandle(rawValue: 0x0002_0001), pkcs8Maximum: 5480, kekMaximum: 512, shareCount: 0),
            reply: .init(pkcs8: Array(repeating: 0x30, count: 156), kek: Array(repeating: 0x31, count: 276)), lengthWords: [0, 160]),
        Sample(
            RPC.PKeyImport.self,
            request: .init(session: session, kekek: pkey, pkcs8: Array(repeating: 0x30, count: 155), kek: Array(repeating: 0x31, count: 277), flags: [.digitalSignature, .token]),
            reply: NewKey(pkey: PKeyHandle(rawValue: 0x8002_0000), name: name2), lengthWords: [4]),
        Sample(
            RPC.PKeyGenerateHashsig.self,
            request: .init(session: .zero, levels: 2, lmsType: .sha256N32H5, lmotsType: .sha256N32W8, flags: [.digitalSignature, .token, .exportable]),
            reply: NewKey(pkey: pkey, name: name1), lengthWords: [4]),
        Sample(RPC.CheckTamper.self, request: .init(), reply: .init()),
    ]
}
