import FuzzDriver
import HalRPC
import Logging
@testable import AlphaEmulator

// Any request frame against the software Alpha's request decoding and dispatch
// (AlphaServer.handle): a frame of 8 bytes or more gets a reply with its function number and
// client word, results or a bare 12-byte error, within a packet; arguments that decode
// re-encode to a request that decodes the same. The server holds an EC key and an RSA
// key-encryption key (public, volatile: no login needed) and a hash session, which the seeds
// name, so mutated requests reach the handlers behind the handle lookups.
let client = ClientHandle(rawValue: 0x5DF0_A8B1)
let server = try! AlphaServer(
    configuration: EmulatorConfiguration(wrongPINDelay: .zero), logger: Logger(label: "fuzz", factory: { _ in SwiftLogNoOpLogHandler() }))

func call<F: RPCFunction>(_ function: F.Type, _ arguments: F.Request) -> F.Reply {
    let frame = F.encodeRequest(arguments, client: client)
    return try! F.decodeReply(server.handle(IncomingRequest(frame: frame)!).bytes, for: arguments).get()
}

func request<F: RPCFunction>(_ function: F.Type, _ arguments: F.Request) -> [UInt8] {
    F.encodeRequest(arguments, client: client)
}

func roundTrips<F: RPCFunction>(_ frame: [UInt8], _ function: F.Type) -> Bool {
    guard let (header, arguments) = try? F.decodeRequest(frame) else { return true }
    let again = try? F.decodeRequest(F.encodeRequest(arguments, client: header.client))
    return again?.header == header && again?.request == arguments
}

Fuzzer.run(seeds: {
    let session = SessionHandle(rawValue: 0)
    let pkey = call(RPC.PKeyGenerateEC.self, .init(session: session, curve: .p256, flags: [.digitalSignature, .public])).pkey
    let kekek = call(RPC.PKeyGenerateRSA.self, .init(
        session: session, keyLength: 1024, publicExponent: RPC.PKeyGenerateRSA.defaultPublicExponent, flags: [.keyEncipherment, .public])).pkey
    let hash = call(RPC.HashInitialize.self, .init(session: session, algorithm: .sha256, key: [])).hash
    let publicKey = call(RPC.PKeyGetPublicKey.self, .init(pkey: pkey, maximumLength: 1000)).der
    let wrapped = DER.EncryptedPrivateKeyInfo(algorithm: .init(.aes256WrapPad, parameters: .absent), encryptedData: Array(repeating: 0xE7, count: 56))
    let attribute = AttributeType(rawValue: 3)
    // Every key handle taken, so that key generation stops at its free-slot check: mutated
    // generate requests would otherwise make RSA keys of whatever size (slow, not a finding).
    while (try? server.pkeyGenerateEC(.init(session: session, curve: .p256, flags: [.digitalSignature, .public]), client: client)) != nil {}
    return [
        request(RPC.GetVersion.self, .init()),
        request(RPC.GetRandom.self, .init(count: 6)),
        request(RPC.SetPIN.self, .init(user: .normal, pin: PIN("fnord"))),
        request(RPC.Login.self, .init(user: .normal, pin: PIN("fnord"))),
        request(RPC.Logout.self, .init()),
        request(RPC.LogoutAll.self, .init()),
        request(RPC.IsLoggedIn.self, .init(user: .securityOfficer)),
        request(RPC.HashGetDigestLength.self, .init(algorithm: .sha256)),
        request(RPC.HashGetDigestAlgorithmID.self, .init(algorithm: .sha1, maximumLength: 256)),
        request(RPC.HashGetAlgorithm.self, .init(hash: hash)),
        request(RPC.HashInitialize.self, .init(session: session, algorithm: .sha384, key: Array("hmac key".utf8))),
        request(RPC.HashUpdate.self, .init(hash: hash, data: [0xC0, 0xDB, 0x01])),
        request(RPC.HashFinalize.self, .init(hash: hash, length: 32)),
        request(RPC.PKeyLoad.self, .init(session: session, der: publicKey, flags: [.digitalSignature, .public])),
        request(RPC.PKeyOpen.self, .init(session: session, name: .zero)),
        request(RPC.PKeyGenerateRSA.self, .init(
            session: session, keyLength: 1024, publicExponent: RPC.PKeyGenerateRSA.defaultPublicExponent, flags: [.keyEncipherment, .token])),
        request(RPC.PKeyGenerateEC.self, .init(session: session, curve: .p256, flags: [.digitalSignature, .public])),
        request(RPC.PKeyGenerateHashsig.self, .init(
            session: session, levels: 1, lmsType: .sha256N32H5, lmotsType: .sha256N32W8, flags: [.digitalSignature, .token])),
        request(RPC.PKeyClose.self, .init(pkey: pkey)),
        request(RPC.PKeyDelete.self, .init(pkey: pkey)),
        request(RPC.PKeyGetKeyType.self, .init(pkey: pkey)),
        request(RPC.PKeyGetKeyFlags.self, .init(pkey: pkey)),
        request(RPC.PKeyGetKeyCurve.self, .init(pkey: pkey)),
        request(RPC.PKeyGetPublicKeyLength.self, .init(pkey: pkey)),
        request(RPC.PKeyGetPublicKey.self, .init(pkey: pkey, maximumLength: 200)),
        request(RPC.PKeySign.self, .init(pkey: pkey, hash: .noHandle, input: Array(repeating: 0x61, count: 32), signatureMaximum: 200)),
        request(RPC.PKeyVerify.self, .init(pkey: pkey, hash: .noHandle, input: Array(repeating: 0x61, count: 32), signature: Array(repeating: 1, count: 64))),
        request(RPC.PKeyMatch.self, .init(
            session: session, type: .ecPublic, curve: .p256, mask: [.public], flags: [.public],
            attributes: [Attribute(type: attribute, value: Array("ab".utf8))], state: .volatile, resultMaximum: 64, previous: .zero)),
        request(RPC.PKeySetAttributes.self, .init(pkey: pkey, updates: [.set(attribute, Array("ab".utf8)), .delete(AttributeType(rawValue: 4))])),
        request(RPC.PKeyGetAttributes.self, .init(pkey: pkey, types: [attribute, .hashsigNextIndex], bufferLength: 64)),
        request(RPC.PKeyExport.self, .init(pkey: pkey, kekek: kekek, pkcs8Maximum: 5480, kekMaximum: 512, shareCount: 0)),
        request(RPC.PKeyImport.self, .init(
            session: session, kekek: kekek, pkcs8: wrapped.der, kek: Array(repeating: 0x5C, count: 128), flags: [.digitalSignature, .public])),
        request(RPC.CheckTamper.self, .init()),
    ]
}) { frame in
    guard let request = IncomingRequest(frame: frame) else { return }
    let reply = server.handle(request).bytes
    let header = ReplyHeader(peeking: reply)
    precondition(header?.functionCode == request.header.functionCode && header?.client == request.header.client,
                 "a reply with another function number or client word")
    precondition(reply.count <= RPCLimits.maximumMessage && (header?.status == .ok || reply.count == ReplyHeader.size),
                 "an oversized reply, or an error reply with results")
    if let function = request.function?.rpcFunction {
        precondition(roundTrips(frame, function), "a request does not round-trip")
    }
}
