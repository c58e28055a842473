import HalRPC

/// Keeps the clients of one board out of each other's keys (design.md, "Clients of one
/// board").
///
/// The board knows its callers only by the client word, and the stock firmware does not bind
/// a pkey or hash handle to the client that opened it: any client that names a handle may
/// sign, export or delete with it, most of that without logging in (docs/wire-protocol.md §13 items
/// 19-21). The muxd sees every request and every reply, so it learns from replies which
/// handles each connection created (LOAD, OPEN, GENERATE_*, IMPORT, HASH_INITIALIZE) and
/// forgets them when they are closed, deleted or finalized, at LOGOUT and at disconnect. A
/// request naming a handle the connection does not hold never reaches the board: the muxd
/// answers it as the board answers an unknown handle. LOGOUT_ALL is let through only from a
/// connection logged in as WHEEL or SO.
///
/// Pure bookkeeping over frames; the router calls it on its event loop.
struct HandleIsolation {
    /// What a request needs remembered until its reply, for ``learn(reply:note:connection:)``.
    enum Note: Sendable {
        case none
        /// The reply to LOGIN: who the connection logs in as.
        case login(User)
        /// The reply to LOGOUT: the connection's handles go.
        case logout
        /// The reply to LOGOUT_ALL: every login goes.
        case logoutAll
        /// The reply releases these handles (CLOSE/DELETE a pkey; FINALIZE, or SIGN/VERIFY
        /// with, a hash), whatever its status: the handle is either gone or the request is
        /// safely repeated after a new OPEN.
        case releases(pkey: UInt32?, hash: UInt32?)
    }

    /// What to do with a request.
    enum Verdict {
        /// Send it to the board; remember `note` for its reply.
        case forward(Note)
        /// Answer it with `reply` (bytes of a reply message); the board never sees it.
        case refuse(reply: [UInt8], reason: String)
    }

    /// pkey handle → the connection (client handle) that holds it.
    private var pkeyOwners: [UInt32: UInt32] = [:]
    /// hash handle → the connection that holds it.
    private var hashOwners: [UInt32: UInt32] = [:]
    /// Who each connection is logged in as, from the board's LOGIN replies.
    private var logins: [UInt32: User] = [:]

    /// Handles and logins currently tracked, for the statistics.
    var trackedHandles: Int { pkeyOwners.count + hashOwners.count }

    // The argument word that names a handle, by function (docs/wire-protocol.md §4.2): the index of the
    // `u32` after the 8-byte request header.
    private static let pkeyArguments: [FunctionNumber: [Int]] = [
        .pkeyClose: [0], .pkeyDelete: [0], .pkeyGetKeyType: [0], .pkeyGetKeyFlags: [0],
        .pkeyGetPublicKeyLength: [0], .pkeyGetPublicKey: [0], .pkeySign: [0], .pkeyVerify: [0],
        .pkeyGetKeyCurve: [0], .pkeySetAttributes: [0], .pkeyGetAttributes: [0],
        .pkeyExport: [0, 1], .pkeyImport: [1],
    ]
    private static let hashArguments: [FunctionNumber: Int] = [
        .hashGetAlgorithm: 0, .hashUpdate: 0, .hashFinalize: 0, .pkeySign: 1, .pkeyVerify: 1,
    ]
    /// Replies whose first result word is a new handle of the connection.
    private static let createsPKey: Set<FunctionNumber> = [
        .pkeyLoad, .pkeyOpen, .pkeyGenerateRSA, .pkeyGenerateEC, .pkeyGenerateHashsig, .pkeyImport,
    ]

    /// Judges a request of `connection` before it goes to the board. A request too short to
    /// hold the words looked at goes through: the board answers it with
    /// XDR_BUFFER_OVERFLOW, naming nobody's handle.
    /// - Parameters:
    ///   - frame: the request as the client sent it (its own client word still in place).
    func check(_ frame: UnsafeRawBufferPointer, header: RequestHeader, connection: ClientHandle) -> Verdict {
        guard let function = header.function else { return .forward(.none) }
        let caller = connection.rawValue
        for index in Self.pkeyArguments[function] ?? [] {
            guard let handle = Self.argument(index, of: frame) else { return .forward(.none) }
            if pkeyOwners[handle] != caller {
                return .refuse(reply: Self.unknownPKeyReply(function, header), reason: "pkey handle \(PKeyHandle(rawValue: handle)) is not this connection's")
            }
        }
        if let index = Self.hashArguments[function] {
            guard let handle = Self.argument(index, of: frame) else { return .forward(.none) }
            // SIGN/VERIFY name no hash with 0 (HAL_HANDLE_NONE).
            let optional = function == .pkeySign || function == .pkeyVerify
            if !(optional && handle == 0), hashOwners[handle] != caller {
                return .refuse(reply: ReplyHeader.errorReply(functionCode: header.functionCode, client: header.client, status: .badArguments),
                               reason: "hash handle \(HashHandle(rawValue: handle)) is not this connection's")
            }
        }
        switch function {
        case .login:
            guard let user = Self.argument(0, of: frame) else { return .forward(.none) }
            return .forward(.login(User(rawValue: user)))
        case .logout:
            return .forward(.logout)
        case .logoutAll:
            guard let user = logins[caller], user == .wheel || user == .securityOfficer else {
                return .refuse(reply: ReplyHeader.errorReply(functionCode: header.functionCode, client: header.client, status: .forbidden),
                               reason: "LOGOUT_ALL needs a WHEEL or SO login (\(logins[caller].map { "\($0)" } ?? "not logged in"))")
            }
            return .forward(.logoutAll)
        case .pkeyClose, .pkeyDelete:
            return .forward(.releases(pkey: Self.argument(0, of: frame), hash: nil))
        case .hashFinalize:
            return .forward(.releases(pkey: nil, hash: Self.argument(0, of: frame)))
        case .pkeySign, .pkeyVerify:
            // A hash handle given to SIGN/VERIFY is finalized, consumed, by the board.
            let hash = Self.argument(1, of: frame)
            return .forward(hash == 0 ? .none : .releases(pkey: nil, hash: hash))
        default:
            return .forward(.none)
        }
    }

    /// Whether a reply to `functionCode` under `note` teaches anything: only then is it judged
    /// (``learn(reply:status:note:connection:)``), so other replies pass without a copy.
    static func learns(from functionCode: UInt32, note: Note) -> Bool {
        if case .none = note, let function = FunctionNumber(rawValue: functionCode) {
            return createsPKey.contains(function) || function == .hashInitialize
        }
        return true
    }

    /// Learns from the board's reply to a request of `connection` that was forwarded with
    /// `note`.
    /// - Parameter status: the reply's status, judged a board's answer (never a damaged
    ///   reply's: its handle words may be anything).
    mutating func learn(reply frame: UnsafeRawBufferPointer, status: HALError, note: Note, connection: ClientHandle) {
        guard frame.count >= ReplyHeader.size, let function = FunctionNumber(rawValue: Self.word(at: 0, of: frame)) else { return }
        let ok = status == .ok
        let owner = connection.rawValue
        switch note {
        case .releases(let pkey, let hash):
            // CLOSE/DELETE: gone when the board says so, or when it does not know the handle.
            if let pkey, ok || status == .keyNotFound { pkeyOwners[pkey] = nil }
            if let hash { hashOwners[hash] = nil }
        case .login(let user):
            // A failed LOGIN leaves the connection as not logged in (the board replaces any
            // earlier login of the client word only on success; counting it out is the safe side).
            logins[owner] = ok ? user : nil
        case .logout where ok:
            forget(connection)
        case .logoutAll where ok:
            logins.removeAll()
        case .none, .logout, .logoutAll:
            break
        }
        guard ok, frame.count >= ReplyHeader.size + 4 else { return }
        let handle = Self.word(at: ReplyHeader.size, of: frame)
        if Self.createsPKey.contains(function) {
            // A handle value the board hands out is its own again: whoever held it before let
            // it go on the board, so the new holder replaces the old.
            pkeyOwners[handle] = owner
        } else if function == .hashInitialize {
            hashOwners[handle] = owner
        }
    }

    /// Forgets everything of a connection (closed, or logged out).
    /// - Returns: the handles it held, for the board to release.
    @discardableResult
    mutating func forget(_ connection: ClientHandle) -> (pkeys: [UInt32], hashes: [UInt32]) {
        let owner = connection.rawValue
        let pkeys = pkeyOwners.filter { $0.value == owner }.keys.sorted()
        let hashes = hashOwners.filter { $0.value == owner }.keys.sorted()
        for handle in pkeys { pkeyOwners[handle] = nil }
        for handle in hashes { hashOwners[handle] = nil }
        logins[owner] = nil
        return (pkeys, hashes)
    }

    // MARK: Frames

    /// The reply the board gives for an unknown pkey handle: 21 KEY_NOT_FOUND, except
    /// GET_PUBLIC_KEY_LEN, which always answers OK and reports length 0 (docs/wire-protocol.md §4.3).
    private static func unknownPKeyReply(_ function: FunctionNumber, _ header: RequestHeader) -> [UInt8] {
        if function == .pkeyGetPublicKeyLength {
            return RPC.PKeyGetPublicKeyLength.encodeReply(.init(length: 0), client: header.client)
        }
        return ReplyHeader.errorReply(functionCode: header.functionCode, client: header.client, status: .keyNotFound)
    }

    /// Argument word `index` of a request, `nil` past its end.
    private static func argument(_ index: Int, of frame: UnsafeRawBufferPointer) -> UInt32? {
        let offset = RequestHeader.size + 4 * index
        guard frame.count >= offset + 4 else { return nil }
        return word(at: offset, of: frame)
    }

    private static func word(at offset: Int, of frame: UnsafeRawBufferPointer) -> UInt32 {
        (0..<4).reduce(0) { $0 << 8 | UInt32(frame[offset + $1]) }
    }
}
