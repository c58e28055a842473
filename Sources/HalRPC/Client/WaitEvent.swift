/// What ``HSMClient`` tells an observer about the replies it waits for, so that a program can
/// show a wait that lasts (the CLI's "waiting for board A: PKEY_EXPORT, 12 s").
public enum WaitEvent: Sendable, Hashable {
    /// A request went out (or was queued behind others) and its reply is awaited for at most
    /// `deadline`. `attempt` counts from 1; a repeat follows a lost or damaged reply
    /// (``FunctionNumber/isSafeToRepeat``).
    case began(call: UInt64, function: FunctionNumber, deadline: Duration, attempt: Int)
    /// The wait for `call` is over: answered, failed or abandoned.
    case ended(call: UInt64)
}
