import HalRPC

/// Hands out the client word the muxd writes into each connection's requests: a random
/// 32-bit value, never 0 and never one a live connection holds.
///
/// Why random, unlike the reference's clock-based counter (docs/wire-protocol.md §11.3, §13 item 12):
/// the board link carries no checksum, and a reply is routed by the handle in its bytes
/// 4…7. With consecutive handles, one flipped bit in a reply's handle often names another
/// live connection, which then gets a stranger's reply (measured: 7 of 3,200 replies at one
/// flipped bit per reply); among a few random 32-bit values a flipped bit almost never lands
/// on another one, and the reply is dropped as stray instead. Random handles also do not
/// repeat across restarts, so a board cannot take a new connection for one it remembers.
///
/// 0 is skipped because the board treats it specially (its volatile keys are everyone's,
/// and LOGOUT does not delete them); a handle in use is skipped so two connections never
/// share a login.
struct ClientHandleAllocator {
    /// The next free handle, drawn from the system's cryptographic random source.
    func next(inUse: (ClientHandle) -> Bool) -> ClientHandle {
        var generator = SystemRandomNumberGenerator()
        return next(inUse: inUse, using: &generator)
    }

    /// The next free handle, drawn from `generator` (tests pass a seeded one).
    func next<Generator: RandomNumberGenerator>(inUse: (ClientHandle) -> Bool, using generator: inout Generator) -> ClientHandle {
        while true {
            let candidate = ClientHandle(rawValue: generator.next())
            if candidate.rawValue != 0, !inUse(candidate) { return candidate }
        }
    }
}
