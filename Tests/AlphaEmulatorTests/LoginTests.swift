import AlphaEmulator
import HalRPC
import Testing

/// SET_PIN, LOGIN, LOGOUT, LOGOUT_ALL, IS_LOGGED_IN: docs/wire-protocol.md §4.3, §6.
@Suite("Users, PINs and logins")
struct LoginTests {
    @Test("a factory board: WHEEL has the firmware's PIN, SO and NORMAL are unset")
    func factory() async throws {
        let board = try Board.launch(pins: false)
        defer { board.stop() }
        let client = board.client()
        #expect(await status { try await client.login(user: .normal, pin: PIN("anything")) } == .pinIncorrect)
        #expect(await status { try await client.login(user: .securityOfficer, pin: PIN("anything")) } == .pinIncorrect)
        try await client.login(user: .wheel, pin: PIN("YouReallyNeedToChangeThisPINRightNowWeAreNotKidding"))
        #expect(try await client.isLoggedIn(user: .wheel))
        // WHEEL sets the others' PINs.
        try await client.setPIN(user: .normal, pin: PIN("fnord"))
        try await client.login(user: .normal, pin: PIN("fnord"))
        #expect(try await client.isLoggedIn(user: .normal))
    }

    @Test("LOGIN and SET_PIN argument checks: PIN 4…4096 bytes, user 1…3 → else 1")
    func argumentChecks() async throws {
        let board = try Board.launch()
        defer { board.stop() }
        let client = board.client()
        #expect(await status { try await client.login(user: .normal, pin: PIN("abc")) } == .badArguments)
        #expect(await status { try await client.login(user: .normal, pin: PIN(bytes: [UInt8](repeating: 0x41, count: 4097))) } == .badArguments)
        #expect(await status { try await client.login(user: .none, pin: TestPINs.user) } == .badArguments)
        #expect(await status { try await client.login(user: User(rawValue: 4), pin: TestPINs.user) } == .badArguments)
        #expect(await status { try await client.setPIN(user: .normal, pin: PIN("abc")) } == .badArguments)
        #expect(await status { _ = try await client.isLoggedIn(user: .none) } == .badArguments)
        // G4's wrong PIN answer.
        #expect(await status { try await client.login(user: .normal, pin: PIN("fnord")) } == .pinIncorrect)
    }

    @Test("IS_LOGGED_IN answers per client handle and per exact user (WHEEL is not NORMAL)")
    func isLoggedInPerClient() async throws {
        let board = try Board.launch()
        defer { board.stop() }
        let tty = try await SharedTTY.open(board.process.rpcPath)
        let a = tty.client(ClientHandle(rawValue: 0x1001))
        let b = tty.client(ClientHandle(rawValue: 0x1002))
        try await a.login(user: .wheel, pin: TestPINs.wheel)
        #expect(try await a.isLoggedIn(user: .wheel))
        #expect(try await !a.isLoggedIn(user: .normal))
        #expect(try await !b.isLoggedIn(user: .wheel))
        // Logging in again replaces the login.
        try await a.login(user: .normal, pin: TestPINs.user)
        #expect(try await a.isLoggedIn(user: .normal))
        #expect(try await !a.isLoggedIn(user: .wheel))
        // A wrong PIN is the board's answer even while an earlier login holds: the client
        // does not take that login for this one's.
        await #expect(throws: HSMClientError.device(.pinIncorrect)) { try await a.login(user: .normal, pin: PIN("not-the-pin")) }
        try await a.logout()
        #expect(try await !a.isLoggedIn(user: .normal))
        // Logout of a client that is not logged in is fine.
        try await b.logout()
        await tty.close()
    }

    @Test("SET_PIN authorization: SO or WHEEL for NORMAL, WHEEL for SO and WHEEL; NORMAL cannot change its own")
    func setPINRules() async throws {
        let board = try Board.launch()
        defer { board.stop() }
        let client = board.client()
        #expect(await status { try await client.setPIN(user: .normal, pin: PIN("new-user-pin")) } == .forbidden)
        try await client.login(user: .normal, pin: TestPINs.user)
        #expect(await status { try await client.setPIN(user: .normal, pin: PIN("new-user-pin")) } == .forbidden)
        try await client.login(user: .securityOfficer, pin: TestPINs.so)
        try await client.setPIN(user: .normal, pin: PIN("new-user-pin"))
        #expect(await status { try await client.setPIN(user: .securityOfficer, pin: PIN("new-so-pin")) } == .forbidden)
        #expect(await status { try await client.setPIN(user: .wheel, pin: PIN("new-wheel-pin")) } == .forbidden)
        try await client.login(user: .wheel, pin: TestPINs.wheel)
        try await client.setPIN(user: .securityOfficer, pin: PIN("new-so-pin"))
        try await client.setPIN(user: .wheel, pin: PIN("new-wheel-pin"))
        #expect(await status { try await client.login(user: .normal, pin: TestPINs.user) } == .pinIncorrect)
        try await client.login(user: .normal, pin: PIN("new-user-pin"))
        try await client.login(user: .securityOfficer, pin: PIN("new-so-pin"))
        try await client.login(user: .wheel, pin: PIN("new-wheel-pin"))
    }

    @Test("PINs persist across a restart")
    func persistence() async throws {
        let board = try Board.launch()
        let client = board.client()
        try await client.login(user: .wheel, pin: TestPINs.wheel)
        try await client.setPIN(user: .normal, pin: PIN("changed-pin"))
        await client.close()
        board.stop(keepState: true)
        let again = try board.restart(["--wrong-pin-delay", "0"])
        defer { again.stop() }
        let second = again.client()
        // A login does not survive the restart; the PIN does.
        #expect(try await !second.isLoggedIn(user: .wheel))
        try await second.login(user: .normal, pin: PIN("changed-pin"))
    }

    @Test("ten login slots; an eleventh client gets 25; LOGOUT_ALL from WHEEL frees them all")
    func loginSlots() async throws {
        let board = try Board.launch()
        defer { board.stop() }
        let tty = try await SharedTTY.open(board.process.rpcPath)
        var clients: [HSMClient] = []
        for index in 1...11 { clients.append(tty.client(ClientHandle(rawValue: UInt32(0x2000 + index)))) }
        for client in clients.prefix(10) { try await client.login(user: .normal, pin: TestPINs.user) }
        #expect(await status { try await clients[10].login(user: .normal, pin: TestPINs.user) } == .noClientSlotsAvailable)
        // A logged-in client logging in again keeps its slot.
        try await clients[0].login(user: .wheel, pin: TestPINs.wheel)
        // SX1: LOGOUT_ALL needs WHEEL or SO (the reference: anyone, ClientIsolationTests).
        #expect(await status { try await clients[10].logoutAll() } == .forbidden)
        try await clients[0].logoutAll()
        for client in clients.prefix(10) { #expect(try await !client.isLoggedIn(user: .normal)) }
        try await clients[10].login(user: .normal, pin: TestPINs.user)
        await tty.close()
    }
}
