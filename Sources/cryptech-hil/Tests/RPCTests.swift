import CryptechHex
import Foundation
import HalRPC

/// GET_VERSION, GET_RANDOM, LOGIN/LOGOUT/IS_LOGGED_IN.
enum RPCTests {
    @Sendable static func version(_ context: HILContext) async throws {
        let client = try await context.target.client(0)
        let version = try await client.getVersion()
        context.log("GET_VERSION: " + "0x" + Hex.digits(version, width: 8))
        // libhal's RPC_VERSION; the low byte is the patch level.
        try check(version & 0xFFFF_FF00 == RPCLimits.version & 0xFFFF_FF00,
                  "version 0x\(Hex.digits(version, width: 8)) is not protocol 1.1 (0x\(Hex.digits(RPCLimits.version, width: 8)))")
    }

    @Sendable static func random(_ context: HILContext) async throws {
        let client = try await context.target.client(0)
        let first = try await client.getRandom(count: 32)
        let second = try await client.getRandom(count: 32)
        try check(first.count == 32 && second.count == 32, "asked for 32 bytes, got \(first.count) and \(second.count)")
        try check(first != second, "two GET_RANDOM replies are the same bytes")
        let bulk = try await client.getRandom(count: 4096)
        try check(bulk.count == 4096, "asked for 4096 bytes, got \(bulk.count)")
        // 4096 uniform bytes leave none of the 256 values out except with probability ~2^-15;
        // fewer than 200 distinct values means something is badly wrong, never chance.
        let distinct = Set(bulk).count
        context.log("4096 random bytes: \(distinct) distinct byte values")
        try check(distinct >= 200, "4096 random bytes hold only \(distinct) distinct values")
    }

    @Sendable static func login(_ context: HILContext) async throws {
        let client = try await context.target.client(0)
        try check(try await client.isLoggedIn(user: .normal), "the suite's client is not logged in")
        try await client.logout()
        try check(try await !client.isLoggedIn(user: .normal), "still logged in after LOGOUT")
        do {
            try await client.login(user: .normal, pin: PIN("not-the-pin-\(context.directory.count)"))
            throw HILCheckFailure(description: "a wrong PIN was accepted")
        } catch HSMClientError.device(let status) {
            try check(status == .pinIncorrect, "a wrong PIN gave \(status), not PIN_INCORRECT")
        }
        try check(try await !client.isLoggedIn(user: .normal), "logged in after a wrong PIN")
        try await client.login(user: .normal, pin: context.target.pin)
        try check(try await client.isLoggedIn(user: .normal), "not logged in after LOGIN with the right PIN")
    }
}
