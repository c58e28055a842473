import CryptechTransport
import HalRPC

/// A fake board for client tests. It reads requests and writes replies only through the
/// shared ``RPCFunction`` descriptions (``IncomingRequest``), holds a little state (logins,
/// keys with attributes, hashes), and can misbehave on request: stay silent, answer late,
/// hold a reply until released, send junk first.
actor FakeAlpha {
    struct Key {
        var type: KeyType
        var flags: KeyFlags
        var attributes: [AttributeType: [UInt8]] = [:]
    }

    /// Functions whose requests get no reply at all.
    var silent: Set<FunctionNumber> = []
    /// Functions whose replies wait until ``release(_:)``: a late reply comes exactly when the
    /// test says, however slow the machine.
    private var held: Set<FunctionNumber> = []
    private var holding: [FunctionNumber: [CheckedContinuation<Void, Never>]] = [:]
    /// Canned replies sent instead of the real answer, by function.
    var cannedReplies: [FunctionNumber: [UInt8]] = [:]
    /// Frames sent just before the next reply (then cleared).
    var junkBeforeNextReply: [[UInt8]] = []
    /// Every request received, in order.
    private(set) var received: [RequestHeader] = []
    /// Frames taken off the link, answered or still waiting behind a held reply.
    private(set) var arrivals = 0
    private(set) var randomCounts: [UInt32] = []

    var keys: [KeyName: Key] = [:]
    private var open: [PKeyHandle: KeyName] = [:]
    private var hashes: [HashHandle: [UInt8]] = [:]
    private var hashAlgorithms: [HashHandle: DigestAlgorithm] = [:]
    private var logins: [ClientHandle: User] = [:]
    private var nextHandle: UInt32 = 0x0001_0000

    static let pin = PIN("fnord")
    /// The SubjectPublicKeyInfo every fake key has (the client refuses DER that is none).
    static let publicKey = DER.SubjectPublicKeyInfo(
        algorithm: DER.AlgorithmIdentifier(.ecPublicKey, parameters: .null), publicKey: [UInt8](repeating: 0x04, count: 65)).der

    /// The fake's "signature" of `input`.
    static func signature(_ input: [UInt8]) -> [UInt8] { [UInt8](repeating: 0x5A, count: 7) + input }

    func setSilent(_ functions: Set<FunctionNumber>) { silent = functions }
    func hold(_ function: FunctionNumber) { held.insert(function) }
    func release(_ function: FunctionNumber) {
        held.remove(function)
        for waiting in holding.removeValue(forKey: function) ?? [] { waiting.resume() }
    }
    func queueJunk(_ frames: [[UInt8]]) { junkBeforeNextReply += frames }
    func setCannedReply(_ frame: [UInt8], for function: FunctionNumber) { cannedReplies[function] = frame }
    func addKey(_ name: KeyName, _ key: Key) { keys[name] = key }

    /// Serves `link` until it ends; one request at a time, like the reference firmware. Frames
    /// are taken off the link as they come (``arrivals``), so a test can see a request that
    /// waits behind a held reply.
    func serve(_ link: any FrameLink) async {
        let (frames, arrived) = AsyncStream.makeStream(of: [UInt8].self)
        let reader = Task {
            while let frame = try? await link.receive(timeout: nil) {
                arrivals += 1
                arrived.yield(frame)
            }
            arrived.finish()
        }
        defer { reader.cancel() }
        for await frame in frames {
            guard let reply = await answer(frame) else { continue }
            let junk = junkBeforeNextReply
            junkBeforeNextReply = []
            for extra in junk { try? await link.send(extra) }
            try? await link.send(reply)
        }
    }

    /// The reply to one request frame, or `nil` for none.
    func answer(_ frame: [UInt8]) async -> [UInt8]? {
        guard let request = IncomingRequest(frame: frame) else { return nil }
        received.append(request.header)
        guard let function = request.function else { return request.errorReply(.rpcBadFunction) }
        if silent.contains(function) { return nil }
        if held.contains(function) { await withCheckedContinuation { holding[function, default: []].append($0) } }
        if let canned = cannedReplies[function] { return canned }
        let client = request.header.client
        switch function {
        case .getVersion:
            return await request.respond(to: RPC.GetVersion.self) { _ in .init(version: RPCLimits.version) }
        case .getRandom:
            return await request.respond(to: RPC.GetRandom.self) { args throws(HALError) in
                guard Int(args.count) <= RPC.GetRandom.maximumCount else { throw .rpcPacketOverflow }
                randomCounts.append(args.count)
                return .init(bytes: (0..<args.count).map { UInt8(truncatingIfNeeded: $0 &+ args.count) })
            }
        case .login:
            return await request.respond(to: RPC.Login.self) { args throws(HALError) in
                guard PIN.validLengths.contains(args.pin.bytes.count) else { throw .badArguments }
                guard args.pin == Self.pin else { throw .pinIncorrect }
                logins[client] = args.user
                return NoResults()
            }
        case .logout:
            return await request.respond(to: RPC.Logout.self) { _ in
                logins[client] = nil
                return NoResults()
            }
        case .isLoggedIn:
            return await request.respond(to: RPC.IsLoggedIn.self) { args throws(HALError) in
                guard logins[client] == args.user else { throw .forbidden }
                return NoResults()
            }
        case .hashGetDigestLength:
            return await request.respond(to: RPC.HashGetDigestLength.self) { args throws(HALError) in
                guard let length = args.algorithm.digestLength, args.algorithm != .sha224 else { throw .badArguments }
                return .init(length: UInt32(length))
            }
        case .hashInitialize:
            return await request.respond(to: RPC.HashInitialize.self) { args in
                let handle = HashHandle(rawValue: allocate())
                hashes[handle] = []
                hashAlgorithms[handle] = args.algorithm
                return .init(hash: handle)
            }
        case .hashGetAlgorithm:
            return await request.respond(to: RPC.HashGetAlgorithm.self) { args throws(HALError) in
                guard let algorithm = hashAlgorithms[args.hash] else { throw .badArguments }
                return .init(algorithm: algorithm)
            }
        case .hashUpdate:
            return await request.respond(to: RPC.HashUpdate.self) { args throws(HALError) in
                guard hashes[args.hash] != nil else { throw .badArguments }
                hashes[args.hash]! += args.data
                return NoResults()
            }
        case .hashFinalize:
            // Not a real digest: the byte count and a checksum of what was fed, then the zero
            // fill of the reference's reply buffer up to the requested length.
            return await request.respond(to: RPC.HashFinalize.self) { args throws(HALError) in
                guard let data = hashes.removeValue(forKey: args.hash) else { throw .badArguments }
                hashAlgorithms[args.hash] = nil
                var digest = [UInt8(truncatingIfNeeded: data.count), data.reduce(0, &+)]
                digest += [UInt8](repeating: 0, count: max(0, Int(args.length) - 2))
                return .init(digest: digest)
            }
        case .pkeyOpen:
            return await request.respond(to: RPC.PKeyOpen.self) { args throws(HALError) in
                guard keys[args.name] != nil else { throw .keyNotFound }
                let handle = PKeyHandle(rawValue: allocate())
                open[handle] = args.name
                return .init(pkey: handle)
            }
        case .pkeyGetKeyType:
            return await request.respond(to: RPC.PKeyGetKeyType.self) { args throws(HALError) in
                .init(type: try key(args.pkey).type)
            }
        case .pkeyGetAttributes:
            return await request.respond(to: RPC.PKeyGetAttributes.self) { args throws(HALError) in
                let key = try key(args.pkey)
                guard !args.types.isEmpty else { throw .badArguments }
                guard !key.attributes.isEmpty else { throw .attributeNotFound }
                if args.bufferLength == 0 {
                    return .lengths(args.types.map { AttributeLength(type: $0, length: UInt32(key.attributes[$0]?.count ?? 0)) })
                }
                var values: [Attribute] = []
                for type in args.types {
                    guard let value = key.attributes[type] else { throw .attributeNotFound }
                    values.append(Attribute(type: type, value: value))
                }
                return .values(values)
            }
        case .pkeySetAttributes:
            return await request.respond(to: RPC.PKeySetAttributes.self) { args throws(HALError) in
                guard let name = open[args.pkey], keys[name] != nil else { throw .keyNotFound }
                for update in args.updates {
                    switch update {
                    case let .set(type, value): keys[name]!.attributes[type] = value
                    case let .delete(type): keys[name]!.attributes[type] = nil
                    }
                }
                return NoResults()
            }
        case .pkeySign:
            return await request.respond(to: RPC.PKeySign.self) { args throws(HALError) in
                _ = try key(args.pkey)
                let signature = Self.signature(args.input)
                guard signature.count <= args.signatureMaximum else { throw .resultTooLong }
                return .init(signature: signature)
            }
        case .pkeyVerify:
            return await request.respond(to: RPC.PKeyVerify.self) { args throws(HALError) in
                _ = try key(args.pkey)
                guard !args.signature.isEmpty else { throw .badArguments }
                guard args.signature == Self.signature(args.input) else { throw .invalidSignature }
                return NoResults()
            }
        case .pkeyGetPublicKeyLength:
            return await request.respond(to: RPC.PKeyGetPublicKeyLength.self) { args in
                // Status OK and length 0 for an unknown handle, as the reference does.
                .init(length: (try? key(args.pkey)) == nil ? 0 : UInt32(Self.publicKey.count))
            }
        case .pkeyGetPublicKey:
            return await request.respond(to: RPC.PKeyGetPublicKey.self) { args throws(HALError) in
                _ = try key(args.pkey)
                guard Int(args.maximumLength) >= Self.publicKey.count else { throw .resultTooLong }
                return .init(der: Self.publicKey)
            }
        case .pkeyMatch:
            return await request.respond(to: RPC.PKeyMatch.self) { args throws(HALError) in
                guard args.resultMaximum > 0 else { throw .badArguments }
                let lowerBound = args.state == .start ? KeyName.zero : args.previous
                let names = keys.keys.filter { $0 > lowerBound }.sorted()
                let page = Array(names.prefix(Int(args.resultMaximum)))
                let done = page.count < Int(args.resultMaximum)
                return .init(state: done ? .done : .token, names: page)
            }
        case .pkeyClose:
            return await request.respond(to: RPC.PKeyClose.self) { args throws(HALError) in
                guard open.removeValue(forKey: args.pkey) != nil else { throw .keyNotFound }
                return NoResults()
            }
        default:
            return request.errorReply(.notImplemented)
        }
    }

    private func key(_ handle: PKeyHandle) throws(HALError) -> Key {
        guard let name = open[handle], let key = keys[name] else { throw .keyNotFound }
        return key
    }

    private func allocate() -> UInt32 {
        defer { nextHandle += 0x0001_0000 }
        return nextHandle
    }
}
