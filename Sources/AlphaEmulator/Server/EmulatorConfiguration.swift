import HalRPC

/// Everything a software Alpha can be told at start; the `cryptech-emulator` options map onto
/// it one to one.
public struct EmulatorConfiguration: Sendable {
    /// Where token keys and PINs live; `nil` keeps them in memory (gone at exit).
    public var stateDirectory: String?
    /// PINs to set at start, without authorization, for tests and tools (`--init-pin-file`,
    /// `--init-pin-env`: ``InitialPINs``).
    public var initialPINs: [InitialPINs.Entry]
    /// The pause after a wrong PIN before the board checks another PIN, for any client (the
    /// board sleeps 5 s, docs/wire-protocol.md §6); it doubles per consecutive wrong PIN with
    /// ``FirmwareBehaviour/pinBackOffDoubles``. Requests other than LOGIN are not held up. 0:
    /// no pause at all (tests).
    public var wrongPINDelay: Duration
    /// Throttle the RPC tty to `baud / 10` bytes per second in each direction; `nil` for
    /// full speed.
    public var baud: Int?
    /// Faults to inject into replies.
    public var faults: FaultPlan?
    /// Whether to open a second pty with the board's console prompts.
    public var console: Bool
    /// Whether CHECK_TAMPER reports a tamper event (HAL_ERROR_TAMPER), for tests.
    public var tamper: Bool
    /// A path the start-up rebuild of hashsig keys waits for: it begins once a file is there.
    /// Tests observe HAL_ERROR_NOT_READY for as long as they need and then let the rebuild go
    /// (a fixed delay would end early on a slow machine); `nil`: the rebuild starts at once.
    public var rebuildGate: String?
    /// Which firmware to behave as (`--firmware`): SX1, or the stock reference firmware that
    /// boards in the field run. ``Firmware/behaviour`` lists what differs.
    public var firmware: Firmware

    /// Every default is the board's own behaviour (5 s after a wrong PIN, full speed, no faults,
    /// no tamper, SX1) with keys kept in memory, so a test states only what it changes.
    /// - Parameters:
    ///   - stateDirectory: where token keys and PINs persist; `nil` keeps them in memory.
    ///   - initialPINs: PINs set at start without authorization.
    ///   - wrongPINDelay: the pause after a wrong PIN; 0 for tests that try wrong PINs.
    ///   - baud: the tty throttle, or `nil` for full speed.
    ///   - faults: faults to inject into replies, or `nil` for none.
    ///   - console: whether to open the console pty too.
    ///   - tamper: whether CHECK_TAMPER reports a tamper event.
    ///   - rebuildGate: a file whose appearance starts the hashsig rebuild, or `nil` to start at once.
    ///   - firmware: the firmware to behave as.
    public init(
        stateDirectory: String? = nil,
        initialPINs: [InitialPINs.Entry] = [],
        wrongPINDelay: Duration = .seconds(5),
        baud: Int? = nil,
        faults: FaultPlan? = nil,
        console: Bool = false,
        tamper: Bool = false,
        rebuildGate: String? = nil,
        firmware: Firmware = .sx1
    ) {
        self.stateDirectory = stateDirectory
        self.initialPINs = initialPINs
        self.wrongPINDelay = wrongPINDelay
        self.baud = baud
        self.faults = faults
        self.console = console
        self.tamper = tamper
        self.rebuildGate = rebuildGate
        self.firmware = firmware
    }
}
