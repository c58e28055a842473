import HalRPC

/// Hands out the client word the muxd writes into each connection's requests.
///
/// Like the reference daemon: start at `unix_time << 4` and count up by one per connection,
/// modulo 2^32 (rpc-wire.md §11.3), so handles of a restarted daemon do not collide with ones
/// a board may still remember. Unlike it, a handle still in use, and 0 (special on the
/// board), are skipped.
struct ClientHandleAllocator {
    private var last: UInt32

    init(startTime: UInt64) {
        last = UInt32(truncatingIfNeeded: startTime << 4)
    }

    /// The next free handle.
    mutating func next(inUse: (ClientHandle) -> Bool) -> ClientHandle {
        repeat {
            last &+= 1
        } while last == 0 || inUse(ClientHandle(rawValue: last))
        return ClientHandle(rawValue: last)
    }
}
