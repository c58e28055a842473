import HalRPC

/// How long the muxd waits for the board's reply to a request.
///
/// Each function belongs to a timeout class of HalRPC's table (`RPCTimeout`: short for
/// version, random and hashing; standard for PINs and keystore writes; long for signing and
/// export; keyGeneration for key generation and import, which take minutes on a board). An
/// operator may override a class. A request that outlives its time gets an error reply; it
/// is never re-sent (a re-sent sign would consume another one-time key).
public struct TimeoutPolicy: Sendable, Hashable {
    private var overrides: [RPCTimeout: Duration] = [:]

    /// Every class at HalRPC's duration, with no override.
    public init() {}

    /// The time allowed for a class.
    public subscript(_ timeoutClass: RPCTimeout) -> Duration {
        get { overrides[timeoutClass] ?? timeoutClass.duration }
        set { overrides[timeoutClass] = newValue }
    }

    /// The time allowed for a request with this function number. Unassigned numbers are
    /// short: the board answers them at once with RPC_BAD_FUNCTION.
    public func timeout(for functionCode: UInt32) -> Duration {
        self[Self.timeoutClass(for: functionCode)]
    }

    /// The class of a request with this function number; unassigned numbers are short.
    public static func timeoutClass(for functionCode: UInt32) -> RPCTimeout {
        FunctionNumber(rawValue: functionCode)?.rpcFunction.timeoutClass ?? .short
    }

    /// Parses `CLASS=SECONDS` (e.g. `keyGeneration=600`, `short=2.5`) into this policy.
    /// - Throws: ``MuxdError/configuration(_:)`` naming the bad part.
    public mutating func apply(_ setting: String) throws(MuxdError) {
        let parts = setting.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, let which = RPCTimeout(rawValue: parts[0]) else {
            let names = RPCTimeout.allCases.map(\.rawValue).joined(separator: ", ")
            throw .configuration("timeout '\(setting)': expected CLASS=SECONDS with CLASS one of \(names)")
        }
        guard let seconds = Double(parts[1]), seconds > 0, seconds.isFinite else {
            throw .configuration("timeout '\(setting)': '\(parts[1])' is not a positive number of seconds")
        }
        self[which] = .milliseconds(Int64(seconds * 1000))
    }
}
