import DurableFile
import HalRPC
import Logging
import Synchronization

/// A reply, and for LOGIN what its PIN check found (``PINCheckGate`` pauses on a wrong PIN).
struct ServerReply: Sendable {
    var bytes: [UInt8]
    var pinCheck = PINCheckOutcome.notChecked
}

/// The board's RPC server: every function of docs/wire-protocol.md §4 over the shared codec table, with
/// the firmware's validation order and status codes. Transport-free: ``RequestRouter`` feeds it
/// requests and ``RPCPort`` carries the replies.
///
/// Thread-safe. Its parts (users, keystore, handle tables, hashsig keys) each guard their own
/// state with short locks; nothing is locked across slow work (key generation, signing) except
/// a hashsig key's own lock, which must cover signing and persisting its index.
final class AlphaServer: Sendable {
    let configuration: EmulatorConfiguration
    let logger: Logger
    let users: UserDirectory
    let keystore: Keystore
    let pkeys: PKeyHandleTable
    let hashes: HashSessionTable
    let hashsig = HashsigKeyring()
    /// `<state-dir>/lock`, held while the server uses its state directory: two emulators on one
    /// directory would each sign with the same hashsig keys from their own copy of the index.
    /// The kernel drops it when the process dies, so a restart after a crash is never blocked.
    let stateLock: LockedFile?
    /// Makes "is this I already here?" and storing a new hashsig key one step (§8.7 import).
    let hashsigInstallLock = Mutex<Void>(())
    /// Every PIN check of the board (LOGIN, the console's login) goes through it.
    let pinChecks: PINCheckGate

    /// Opens (or creates) the state directory, sets the initial PINs, and loads token keys.
    /// Hashsig trees are not built yet: call ``rebuildHashsigKeys()``.
    /// - Throws: ``DurableFileError`` or ``HALError`` when the state cannot be set up,
    ///   ``EmulatorOptionError`` when another emulator uses the state directory.
    init(configuration: EmulatorConfiguration, logger: Logger) throws {
        self.configuration = configuration
        self.logger = logger
        pkeys = PKeyHandleTable(behaviour: configuration.firmware.behaviour)
        hashes = HashSessionTable(behaviour: configuration.firmware.behaviour)
        pinChecks = PINCheckGate(
            firstPause: configuration.wrongPINDelay, doubles: configuration.firmware.behaviour.pinBackOffDoubles, logger: logger)
        if let directory = configuration.stateDirectory {
            try DurableFile.makeDirectories(directory)
            do {
                stateLock = try LockedFile(path: directory + "/lock", wait: .never)
            } catch {
                guard case .busy = error.reason else { throw error }
                throw EmulatorOptionError.invalid("--state-dir", "\(directory) is in use by another emulator")
            }
        } else {
            stateLock = nil
        }
        users = try UserDirectory(stateDirectory: configuration.stateDirectory, logger: logger)
        for (user, pin) in configuration.initialPINs {
            try users.initialize(user, pin: pin)
        }
        keystore = try Keystore(directory: configuration.stateDirectory, logger: logger)
    }

    /// Functions cheap enough to answer on the port's I/O thread when their client has nothing
    /// else in progress: no key generation, no signature, no PIN hashing, no disk write.
    static func runsInline(_ function: FunctionNumber?) -> Bool {
        switch function {
        case nil, .getVersion?, .getRandom?, .logout?, .logoutAll?, .isLoggedIn?,
             .hashGetDigestLength?, .hashGetDigestAlgorithmID?, .hashGetAlgorithm?, .hashInitialize?,
             .hashUpdate?, .hashFinalize?, .pkeyOpen?, .pkeyClose?, .pkeyGetKeyType?, .pkeyGetKeyFlags?,
             .pkeyGetKeyCurve?, .pkeyGetPublicKeyLength?, .pkeyGetPublicKey?, .pkeyMatch?,
             .pkeyGetAttributes?, .checkTamper?:
            true
        default:
            false
        }
    }

    /// Answers one request.
    func handle(_ request: IncomingRequest) -> ServerReply {
        let client = request.header.client
        let reply: ServerReply
        switch request.function {
        case nil: reply = ServerReply(bytes: request.errorReply(.rpcBadFunction))
        case .getVersion?: reply = answer(request, RPC.GetVersion.self) { _ throws(HALError) in getVersion() }
        case .getRandom?: reply = answer(request, RPC.GetRandom.self) { args throws(HALError) in try getRandom(args) }
        case .setPIN?: reply = answer(request, RPC.SetPIN.self) { args throws(HALError) in try setPIN(args, client: client) }
        case .login?: reply = login(request, client: client)
        case .logout?: reply = answer(request, RPC.Logout.self) { _ throws(HALError) in logout(client) }
        case .logoutAll?: reply = answer(request, RPC.LogoutAll.self) { _ throws(HALError) in try logoutAll(client) }
        case .isLoggedIn?: reply = answer(request, RPC.IsLoggedIn.self) { args throws(HALError) in try isLoggedIn(args, client: client) }
        case .hashGetDigestLength?: reply = answer(request, RPC.HashGetDigestLength.self) { args throws(HALError) in try hashGetDigestLength(args) }
        case .hashGetDigestAlgorithmID?:
            reply = answer(request, RPC.HashGetDigestAlgorithmID.self) { args throws(HALError) in try hashGetDigestAlgorithmID(args) }
        case .hashGetAlgorithm?: reply = answer(request, RPC.HashGetAlgorithm.self) { args throws(HALError) in try hashGetAlgorithm(args, client: client) }
        case .hashInitialize?: reply = answer(request, RPC.HashInitialize.self) { args throws(HALError) in try hashInitialize(args, client: client) }
        case .hashUpdate?: reply = answer(request, RPC.HashUpdate.self) { args throws(HALError) in try hashUpdate(args, client: client) }
        case .hashFinalize?: reply = answer(request, RPC.HashFinalize.self) { args throws(HALError) in try hashFinalize(args, client: client) }
        case .pkeyLoad?: reply = answer(request, RPC.PKeyLoad.self) { args throws(HALError) in try pkeyLoad(args, client: client) }
        case .pkeyOpen?: reply = answer(request, RPC.PKeyOpen.self) { args throws(HALError) in try pkeyOpen(args, client: client) }
        case .pkeyGenerateRSA?: reply = answer(request, RPC.PKeyGenerateRSA.self) { args throws(HALError) in try pkeyGenerateRSA(args, client: client) }
        case .pkeyGenerateEC?: reply = answer(request, RPC.PKeyGenerateEC.self) { args throws(HALError) in try pkeyGenerateEC(args, client: client) }
        case .pkeyGenerateHashsig?:
            reply = answer(request, RPC.PKeyGenerateHashsig.self) { args throws(HALError) in try pkeyGenerateHashsig(args, client: client) }
        case .pkeyClose?: reply = answer(request, RPC.PKeyClose.self) { args throws(HALError) in try pkeyClose(args, client: client) }
        case .pkeyDelete?: reply = answer(request, RPC.PKeyDelete.self) { args throws(HALError) in try pkeyDelete(args, client: client) }
        case .pkeyGetKeyType?: reply = answer(request, RPC.PKeyGetKeyType.self) { args throws(HALError) in .init(type: try openKey(args.pkey, caller: client).record.type) }
        case .pkeyGetKeyFlags?: reply = answer(request, RPC.PKeyGetKeyFlags.self) { args throws(HALError) in .init(flags: try openKey(args.pkey, caller: client).record.flags) }
        case .pkeyGetKeyCurve?: reply = answer(request, RPC.PKeyGetKeyCurve.self) { args throws(HALError) in .init(curve: try openKey(args.pkey, caller: client).record.curve) }
        case .pkeyGetPublicKeyLength?:
            reply = answer(request, RPC.PKeyGetPublicKeyLength.self) { args throws(HALError) in pkeyGetPublicKeyLength(args, client: client) }
        case .pkeyGetPublicKey?: reply = answer(request, RPC.PKeyGetPublicKey.self) { args throws(HALError) in try pkeyGetPublicKey(args, client: client) }
        case .pkeySign?: reply = answer(request, RPC.PKeySign.self) { args throws(HALError) in try pkeySign(args, client: client) }
        case .pkeyVerify?: reply = answer(request, RPC.PKeyVerify.self) { args throws(HALError) in try pkeyVerify(args, client: client) }
        case .pkeyMatch?: reply = answer(request, RPC.PKeyMatch.self) { args throws(HALError) in try pkeyMatch(args, client: client) }
        case .pkeySetAttributes?: reply = answer(request, RPC.PKeySetAttributes.self) { args throws(HALError) in try pkeySetAttributes(args, client: client) }
        case .pkeyGetAttributes?: reply = answer(request, RPC.PKeyGetAttributes.self) { args throws(HALError) in try pkeyGetAttributes(args, client: client) }
        case .pkeyExport?: reply = answer(request, RPC.PKeyExport.self) { args throws(HALError) in try pkeyExport(args, client: client) }
        case .pkeyImport?: reply = answer(request, RPC.PKeyImport.self) { args throws(HALError) in try pkeyImport(args, client: client) }
        case .checkTamper?: reply = answer(request, RPC.CheckTamper.self) { _ throws(HALError) in try checkTamper() }
        }
        if logger.logLevel <= .debug {
            let status = ReplyHeader(peeking: reply.bytes)?.status ?? .ok
            // Function, client and status only: never arguments or results (PINs, key material).
            logger.debug("rpc", metadata: [
                "rpc.function": "\(request.function.map { "\($0)" } ?? "\(request.header.functionCode)")",
                "rpc.client": "\(client)", "rpc.status": "\(status.name ?? "\(status.rawValue)")",
            ])
        }
        return reply
    }

    /// Decodes `F`'s arguments with the firmware's leniency, runs `body`, and encodes its
    /// results, its status, or the firmware's status for arguments that do not decode
    /// (docs/wire-protocol.md §3.2).
    func answer<F: RPCFunction>(_ request: IncomingRequest, _ function: F.Type, _ body: (F.Request) throws(HALError) -> F.Reply) -> ServerReply {
        let arguments: F.Request
        do {
            arguments = try request.decode(F.self)
        } catch {
            return ServerReply(bytes: request.errorReply(error.halStatus))
        }
        do {
            return ServerReply(bytes: request.reply(F.self, try body(arguments)))
        } catch {
            return ServerReply(bytes: request.errorReply(error))
        }
    }
}
