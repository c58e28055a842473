import HalRPC
import Logging
import RandomInputs
import Testing
@testable import AlphaEmulator

/// Random and damaged requests for every function of the codec table against the software
/// Alpha's request decoding and dispatch (``AlphaServer/handle(_:)``, what every request a
/// client sends goes through): it never traps, and answers every request of 8 bytes or more
/// with a reply carrying the request's function number and client word — results, or a bare
/// 12-byte error reply — that fits a packet. Every request that decodes re-encodes to a
/// request that decodes the same.
///
/// The server holds real keys (an EC key to sign with, an RSA key-encryption key to import
/// under) and a hash session, so that damaged requests naming them get past the handle
/// lookups into the key-material parsers (PKEY_LOAD's DER, PKEY_IMPORT's wrapped PKCS#8).
/// The generate requests ask for token keys, refused without a login before any key is made:
/// damaged ones rarely ask for a public volatile key (which needs no login).
@Suite struct RequestFuzzTests {
    static let client = ClientHandle(rawValue: 0x5DF0_A8B1)
    static let logger = Logger(label: "fuzz", factory: { _ in SwiftLogNoOpLogHandler() })

    /// A software Alpha with its keys and one valid request per function naming them.
    struct Rig {
        let server: AlphaServer
        let requests: [FunctionNumber: [UInt8]]

        init() throws {
            server = try AlphaServer(configuration: EmulatorConfiguration(wrongPINDelay: .zero), logger: RequestFuzzTests.logger)
            let session = SessionHandle(rawValue: 0)
            // Public volatile keys: no login needed to make or use them.
            let ec = try Self.call(server, RPC.PKeyGenerateEC.self, .init(session: session, curve: .p256, flags: [.digitalSignature, .public]))
            let kekek = try Self.call(server, RPC.PKeyGenerateRSA.self, .init(
                session: session, keyLength: 1024, publicExponent: RPC.PKeyGenerateRSA.defaultPublicExponent, flags: [.keyEncipherment, .public]))
            let hash = try Self.call(server, RPC.HashInitialize.self, .init(session: session, algorithm: .sha256, key: [])).hash
            let publicKey = try Self.call(server, RPC.PKeyGetPublicKey.self, .init(pkey: ec.pkey, maximumLength: 1000)).der
            let pkey = ec.pkey
            func request<F: RPCFunction>(_ function: F.Type, _ arguments: F.Request) -> (FunctionNumber, [UInt8]) {
                (F.number, F.encodeRequest(arguments, client: RequestFuzzTests.client))
            }
            let all: [(FunctionNumber, [UInt8])] = [
                request(RPC.GetVersion.self, .init()),
                request(RPC.GetRandom.self, .init(count: 6)),
                request(RPC.SetPIN.self, .init(user: .normal, pin: PIN("fnord"))),
                // Three bytes, one short of a PIN: a longer one costs a PIN derivation.
                request(RPC.Login.self, .init(user: .normal, pin: PIN("fno"))),
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
                request(RPC.PKeyOpen.self, .init(session: session, name: KeyName(uuidString: "4d1f3c2e-8a7b-4c6d-9e0f-1a2b3c4d5e6f")!)),
                request(RPC.PKeyGenerateRSA.self, .init(
                    session: session, keyLength: 1024, publicExponent: RPC.PKeyGenerateRSA.defaultPublicExponent, flags: [.keyEncipherment, .token])),
                request(RPC.PKeyGenerateEC.self, .init(session: session, curve: .p256, flags: [.digitalSignature, .token])),
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
                    attributes: [Attribute(type: AttributeType(rawValue: 3), value: Array("ab".utf8))],
                    state: .volatile, resultMaximum: 64, previous: .zero)),
                request(RPC.PKeySetAttributes.self, .init(
                    pkey: pkey, updates: [.set(AttributeType(rawValue: 3), Array("ab".utf8)), .delete(AttributeType(rawValue: 4))])),
                request(RPC.PKeyGetAttributes.self, .init(pkey: pkey, types: [AttributeType(rawValue: 3), .hashsigNextIndex], bufferLength: 64)),
                request(RPC.PKeyExport.self, .init(pkey: pkey, kekek: kekek.pkey, pkcs8Maximum: 5480, kekMaximum: 512, shareCount: 0)),
                request(RPC.PKeyImport.self, .init(
                    session: session, kekek: kekek.pkey, pkcs8: Self.wrappedKey, kek: Array(repeating: 0x5C, count: 128), flags: [.digitalSignature, .public])),
                request(RPC.CheckTamper.self, .init()),
            ]
            requests = Dictionary(uniqueKeysWithValues: all)
        }

        /// A PKCS#8 EncryptedPrivateKeyInfo as PKEY_EXPORT makes them (aes256-wrap-pad).
        static let wrappedKey = DER.EncryptedPrivateKeyInfo(
            algorithm: .init(.aes256WrapPad, parameters: .absent), encryptedData: Array(repeating: 0xE7, count: 56)).der

        /// Runs one request through the server; its results, or the status it answered.
        static func call<F: RPCFunction>(_ server: AlphaServer, _ function: F.Type, _ arguments: F.Request) throws -> F.Reply {
            let frame = F.encodeRequest(arguments, client: RequestFuzzTests.client)
            return try F.decodeReply(server.handle(IncomingRequest(frame: frame)!).bytes, for: arguments).get()
        }
    }

    @Test func everyFunctionHasARequest() throws {
        #expect(Set(try Rig().requests.keys) == Set(FunctionNumber.allCases))
    }

    @Test(arguments: FunctionNumber.allCases)
    func randomRequests(_ function: FunctionNumber) async throws {
        let rig = try Rig()
        let valid = rig.requests[function]!
        var inputs = RandomInputs(seed: UInt64(function.rawValue) &* 0x9E37_79B9, valid: [valid])
        var words = SplitMix64(seed: UInt64(function.rawValue))
        var frame: [UInt8] = []
        frame.reserveCapacity(256)
        var decoded = 0
        var wrong: [[UInt8]] = []
        for index in 0..<RandomInputs.countPerDecoder {
            if index % 4 == 0 {
                // XDR-shaped arguments behind the function's own header.
                var arguments: [UInt8] = []
                RandomWords.fill(&arguments, using: &words)
                frame.removeAll(keepingCapacity: true)
                frame += valid[..<RequestHeader.size]
                frame += arguments
            } else {
                inputs.next(into: &frame)
            }
            switch Self.check(frame, on: rig.server) {
            case .decoded: decoded += 1
            case .refused: break
            case .wrong: if wrong.count < 5 { wrong.append(frame) }
            }
            if index % 512 == 511 { await Task.yield() }
        }
        #expect(wrong.isEmpty, "\(wrong)")
        // The arguments decoder's inner paths were reached, not only its first check.
        #expect(decoded > 1000)
    }

    enum Outcome { case decoded, refused, wrong }

    /// Sends `frame` to the server and checks the answer (``Outcome/wrong`` if it is not
    /// right) and, when its arguments decode, their round trip. Checked without `#expect`,
    /// which costs more than the request in a debug build.
    static func check(_ frame: [UInt8], on server: AlphaServer) -> Outcome {
        guard let request = IncomingRequest(frame: frame) else { return .refused }
        let reply = server.handle(request).bytes
        guard let header = ReplyHeader(peeking: reply), header.functionCode == request.header.functionCode,
              header.client == request.header.client, reply.count <= RPCLimits.maximumMessage,
              header.status == .ok || reply.count == ReplyHeader.size
        else { return .wrong }
        guard let function = request.function?.rpcFunction else { return .refused }
        return roundTrip(frame, function)
    }

    /// Whether `frame` decodes as `F`'s request; if so, its re-encoding must decode the same.
    static func roundTrip<F: RPCFunction>(_ frame: [UInt8], _ function: F.Type) -> Outcome {
        guard let (header, arguments) = try? F.decodeRequest(frame) else { return .refused }
        let again = try? F.decodeRequest(F.encodeRequest(arguments, client: header.client))
        return again?.header == header && again?.request == arguments ? .decoded : .wrong
    }
}
