import HalRPC

/// Everything a software Alpha can be told at start; the `cryptech-emulator` options map onto
/// it one to one.
public struct EmulatorConfiguration: Sendable {
    /// Where token keys and PINs live; `nil` keeps them in memory (gone at exit).
    public var stateDirectory: String?
    /// PINs to set at start, without authorization (`--init-pin user=PIN`, for tests).
    public var initialPINs: [(user: User, pin: PIN)]
    /// The pause after a wrong PIN before the board checks another PIN, for any client (the
    /// board sleeps 5 s, rpc-wire.md §6); it doubles per consecutive wrong PIN with
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
    /// Extra time the start-up rebuild of hashsig keys takes, so tests can observe
    /// HAL_ERROR_NOT_READY deterministically.
    public var rebuildDelay: Duration
    /// Which firmware to behave as (`--firmware`): SX1, or the stock reference firmware that
    /// boards in the field run. ``Firmware/behaviour`` lists what differs.
    public var firmware: Firmware

    public init(
        stateDirectory: String? = nil,
        initialPINs: [(user: User, pin: PIN)] = [],
        wrongPINDelay: Duration = .seconds(5),
        baud: Int? = nil,
        faults: FaultPlan? = nil,
        console: Bool = false,
        tamper: Bool = false,
        rebuildDelay: Duration = .zero,
        firmware: Firmware = .sx1
    ) {
        self.stateDirectory = stateDirectory
        self.initialPINs = initialPINs
        self.wrongPINDelay = wrongPINDelay
        self.baud = baud
        self.faults = faults
        self.console = console
        self.tamper = tamper
        self.rebuildDelay = rebuildDelay
        self.firmware = firmware
    }

    /// Parses one `--init-pin` value, `wheel=PIN`, `so=PIN` or `user=PIN`.
    /// - Throws: ``EmulatorOptionError`` for another user name or a PIN outside 4…4096 bytes.
    public static func parseInitialPIN(_ text: String) throws(EmulatorOptionError) -> (user: User, pin: PIN) {
        guard let equals = text.firstIndex(of: "=") else {
            throw .invalid("--init-pin", "expected wheel=PIN, so=PIN or user=PIN")
        }
        let name = text[..<equals].lowercased()
        let pin = PIN(String(text[text.index(after: equals)...]))
        let user: User
        switch name {
        case "wheel": user = .wheel
        case "so": user = .securityOfficer
        case "user", "normal": user = .normal
        default: throw .invalid("--init-pin", "unknown user '\(name)' (wheel, so, user)")
        }
        guard PIN.validLengths.contains(pin.bytes.count) else {
            throw .invalid("--init-pin", "a PIN is 4 to 4096 bytes long")
        }
        return (user, pin)
    }
}
