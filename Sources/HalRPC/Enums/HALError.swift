/// A libhal status code (`hal_error_t`, docs/wire-protocol.md §5.1), the third word of every reply.
///
/// A code this library does not know (newer firmware) is kept as a value and described as
/// unknown; it never traps. Catch a specific code with
/// `catch HSMClientError.device(.keyNotFound)`.
public struct HALError: XDRWord, Error, CustomStringConvertible {
    public let rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `HAL_OK`.
    public static let ok = HALError(rawValue: 0)
    /// `HAL_ERROR_BAD_ARGUMENTS`.
    public static let badArguments = HALError(rawValue: 1)
    /// `HAL_ERROR_UNSUPPORTED_KEY`.
    public static let unsupportedKey = HALError(rawValue: 2)
    /// `HAL_ERROR_IO_SETUP_FAILED`.
    public static let ioSetupFailed = HALError(rawValue: 3)
    /// `HAL_ERROR_IO_TIMEOUT`.
    public static let ioTimeout = HALError(rawValue: 4)
    /// `HAL_ERROR_IO_UNEXPECTED`.
    public static let ioUnexpected = HALError(rawValue: 5)
    /// `HAL_ERROR_IO_OS_ERROR`.
    public static let ioOSError = HALError(rawValue: 6)
    /// `HAL_ERROR_IO_BAD_COUNT`.
    public static let ioBadCount = HALError(rawValue: 7)
    /// `HAL_ERROR_CSPRNG_BROKEN`.
    public static let csprngBroken = HALError(rawValue: 8)
    /// `HAL_ERROR_KEYWRAP_BAD_MAGIC`.
    public static let keywrapBadMagic = HALError(rawValue: 9)
    /// `HAL_ERROR_KEYWRAP_BAD_LENGTH`.
    public static let keywrapBadLength = HALError(rawValue: 10)
    /// `HAL_ERROR_KEYWRAP_BAD_PADDING`.
    public static let keywrapBadPadding = HALError(rawValue: 11)
    /// `HAL_ERROR_IMPOSSIBLE`.
    public static let impossible = HALError(rawValue: 12)
    /// `HAL_ERROR_ALLOCATION_FAILURE`.
    public static let allocationFailure = HALError(rawValue: 13)
    /// `HAL_ERROR_RESULT_TOO_LONG`.
    public static let resultTooLong = HALError(rawValue: 14)
    /// `HAL_ERROR_ASN1_PARSE_FAILED`.
    public static let asn1ParseFailed = HALError(rawValue: 15)
    /// `HAL_ERROR_KEY_NOT_ON_CURVE`.
    public static let keyNotOnCurve = HALError(rawValue: 16)
    /// `HAL_ERROR_INVALID_SIGNATURE`.
    public static let invalidSignature = HALError(rawValue: 17)
    /// `HAL_ERROR_CORE_NOT_FOUND`.
    public static let coreNotFound = HALError(rawValue: 18)
    /// `HAL_ERROR_CORE_BUSY`.
    public static let coreBusy = HALError(rawValue: 19)
    /// `HAL_ERROR_KEYSTORE_ACCESS`.
    public static let keystoreAccess = HALError(rawValue: 20)
    /// `HAL_ERROR_KEY_NOT_FOUND`.
    public static let keyNotFound = HALError(rawValue: 21)
    /// `HAL_ERROR_KEY_NAME_IN_USE`.
    public static let keyNameInUse = HALError(rawValue: 22)
    /// `HAL_ERROR_NO_KEY_SLOTS_AVAILABLE`.
    public static let noKeySlotsAvailable = HALError(rawValue: 23)
    /// `HAL_ERROR_PIN_INCORRECT`.
    public static let pinIncorrect = HALError(rawValue: 24)
    /// `HAL_ERROR_NO_CLIENT_SLOTS_AVAILABLE`.
    public static let noClientSlotsAvailable = HALError(rawValue: 25)
    /// `HAL_ERROR_FORBIDDEN`.
    public static let forbidden = HALError(rawValue: 26)
    /// `HAL_ERROR_XDR_BUFFER_OVERFLOW`.
    public static let xdrBufferOverflow = HALError(rawValue: 27)
    /// `HAL_ERROR_RPC_TRANSPORT`.
    public static let rpcTransport = HALError(rawValue: 28)
    /// `HAL_ERROR_RPC_PACKET_OVERFLOW`.
    public static let rpcPacketOverflow = HALError(rawValue: 29)
    /// `HAL_ERROR_RPC_BAD_FUNCTION`.
    public static let rpcBadFunction = HALError(rawValue: 30)
    /// `HAL_ERROR_KEY_NAME_TOO_LONG`.
    public static let keyNameTooLong = HALError(rawValue: 31)
    /// `HAL_ERROR_MASTERKEY_NOT_SET`.
    public static let masterKeyNotSet = HALError(rawValue: 32)
    /// `HAL_ERROR_MASTERKEY_FAIL`.
    public static let masterKeyFail = HALError(rawValue: 33)
    /// `HAL_ERROR_MASTERKEY_BAD_LENGTH`.
    public static let masterKeyBadLength = HALError(rawValue: 34)
    /// `HAL_ERROR_KS_DRIVER_NOT_FOUND`.
    public static let keystoreDriverNotFound = HALError(rawValue: 35)
    /// `HAL_ERROR_KEYSTORE_BAD_CRC`.
    public static let keystoreBadCRC = HALError(rawValue: 36)
    /// `HAL_ERROR_KEYSTORE_BAD_BLOCK_TYPE`.
    public static let keystoreBadBlockType = HALError(rawValue: 37)
    /// `HAL_ERROR_KEYSTORE_LOST_DATA`.
    public static let keystoreLostData = HALError(rawValue: 38)
    /// `HAL_ERROR_BAD_ATTRIBUTE_LENGTH`.
    public static let badAttributeLength = HALError(rawValue: 39)
    /// `HAL_ERROR_ATTRIBUTE_NOT_FOUND`.
    public static let attributeNotFound = HALError(rawValue: 40)
    /// `HAL_ERROR_NO_KEY_INDEX_SLOTS`.
    public static let noKeyIndexSlots = HALError(rawValue: 41)
    /// `HAL_ERROR_KS_INDEX_UUID_MISORDERED`.
    public static let keystoreIndexUUIDMisordered = HALError(rawValue: 42)
    /// `HAL_ERROR_KEYSTORE_WRONG_BLOCK_TYPE`.
    public static let keystoreWrongBlockType = HALError(rawValue: 43)
    /// `HAL_ERROR_RPC_PROTOCOL_ERROR`.
    public static let rpcProtocolError = HALError(rawValue: 44)
    /// `HAL_ERROR_NOT_IMPLEMENTED`.
    public static let notImplemented = HALError(rawValue: 45)
    /// `HAL_ERROR_CORE_REASSIGNED`.
    public static let coreReassigned = HALError(rawValue: 46)
    /// `HAL_ERROR_ASSERTION_FAILED`.
    public static let assertionFailed = HALError(rawValue: 47)
    /// `HAL_ERROR_HASHSIG_KEY_EXHAUSTED`.
    public static let hashsigKeyExhausted = HALError(rawValue: 48)
    /// `HAL_ERROR_NOT_READY`.
    public static let notReady = HALError(rawValue: 49)
    /// `HAL_ERROR_TAMPER` (DKS).
    public static let tamper = HALError(rawValue: 50)

    /// Whether this code is one of the 51 the reference defines (`N_HAL_ERRORS`).
    public var isKnown: Bool { rawValue < UInt32(Self.table.count) }

    /// The libhal constant name, such as `HAL_ERROR_KEY_NOT_FOUND`; `nil` for an unknown code.
    public var name: String? { isKnown ? Self.table[Int(rawValue)].name : nil }

    /// What the code means, in words.
    public var description: String {
        isKnown ? Self.table[Int(rawValue)].text : "unknown HAL error \(rawValue)"
    }

    /// Names and texts by code, in code order (docs/wire-protocol.md §5.1).
    private static let table: [(name: String, text: String)] = [
        ("HAL_OK", "success"),
        ("HAL_ERROR_BAD_ARGUMENTS", "bad arguments"),
        ("HAL_ERROR_UNSUPPORTED_KEY", "unsupported key type, size or parameter set"),
        ("HAL_ERROR_IO_SETUP_FAILED", "could not set up FPGA I/O"),
        ("HAL_ERROR_IO_TIMEOUT", "FPGA I/O timed out"),
        ("HAL_ERROR_IO_UNEXPECTED", "unexpected response from FPGA"),
        ("HAL_ERROR_IO_OS_ERROR", "operating system error during FPGA I/O"),
        ("HAL_ERROR_IO_BAD_COUNT", "bad byte count"),
        ("HAL_ERROR_CSPRNG_BROKEN", "random number generator looks broken"),
        ("HAL_ERROR_KEYWRAP_BAD_MAGIC", "key unwrap failed: bad integrity value"),
        ("HAL_ERROR_KEYWRAP_BAD_LENGTH", "key unwrap failed: length out of range"),
        ("HAL_ERROR_KEYWRAP_BAD_PADDING", "key unwrap failed: non-zero padding"),
        ("HAL_ERROR_IMPOSSIBLE", "internal error: impossible condition"),
        ("HAL_ERROR_ALLOCATION_FAILURE", "out of memory or handle slots"),
        ("HAL_ERROR_RESULT_TOO_LONG", "result too long for the buffer"),
        ("HAL_ERROR_ASN1_PARSE_FAILED", "ASN.1 (DER) parse failed"),
        ("HAL_ERROR_KEY_NOT_ON_CURVE", "EC point not on the curve"),
        ("HAL_ERROR_INVALID_SIGNATURE", "invalid signature"),
        ("HAL_ERROR_CORE_NOT_FOUND", "FPGA core not found"),
        ("HAL_ERROR_CORE_BUSY", "FPGA core busy"),
        ("HAL_ERROR_KEYSTORE_ACCESS", "cannot access the keystore"),
        ("HAL_ERROR_KEY_NOT_FOUND", "key not found"),
        ("HAL_ERROR_KEY_NAME_IN_USE", "key name in use"),
        ("HAL_ERROR_NO_KEY_SLOTS_AVAILABLE", "no key slots available"),
        ("HAL_ERROR_PIN_INCORRECT", "PIN incorrect"),
        ("HAL_ERROR_NO_CLIENT_SLOTS_AVAILABLE", "no client (login) slots available"),
        ("HAL_ERROR_FORBIDDEN", "forbidden"),
        ("HAL_ERROR_XDR_BUFFER_OVERFLOW", "XDR buffer overflow"),
        ("HAL_ERROR_RPC_TRANSPORT", "RPC transport error"),
        ("HAL_ERROR_RPC_PACKET_OVERFLOW", "RPC packet overflow"),
        ("HAL_ERROR_RPC_BAD_FUNCTION", "unknown RPC function"),
        ("HAL_ERROR_KEY_NAME_TOO_LONG", "key name has the wrong length"),
        ("HAL_ERROR_MASTERKEY_NOT_SET", "master key not set"),
        ("HAL_ERROR_MASTERKEY_FAIL", "master key error"),
        ("HAL_ERROR_MASTERKEY_BAD_LENGTH", "master key has a bad length"),
        ("HAL_ERROR_KS_DRIVER_NOT_FOUND", "keystore driver not found"),
        ("HAL_ERROR_KEYSTORE_BAD_CRC", "keystore block checksum wrong"),
        ("HAL_ERROR_KEYSTORE_BAD_BLOCK_TYPE", "keystore block of unsupported type"),
        ("HAL_ERROR_KEYSTORE_LOST_DATA", "keystore lost data"),
        ("HAL_ERROR_BAD_ATTRIBUTE_LENGTH", "stored attribute length inconsistent"),
        ("HAL_ERROR_ATTRIBUTE_NOT_FOUND", "attribute not found"),
        ("HAL_ERROR_NO_KEY_INDEX_SLOTS", "keystore has no free entries"),
        ("HAL_ERROR_KS_INDEX_UUID_MISORDERED", "keystore index out of order"),
        ("HAL_ERROR_KEYSTORE_WRONG_BLOCK_TYPE", "keystore block has the wrong type"),
        ("HAL_ERROR_RPC_PROTOCOL_ERROR", "RPC protocol error: reply does not match the request"),
        ("HAL_ERROR_NOT_IMPLEMENTED", "not implemented"),
        ("HAL_ERROR_CORE_REASSIGNED", "FPGA core reassigned"),
        ("HAL_ERROR_ASSERTION_FAILED", "assertion failed"),
        ("HAL_ERROR_HASHSIG_KEY_EXHAUSTED", "hash-based signature key exhausted"),
        ("HAL_ERROR_NOT_READY", "not ready (rebuilding hash-based signature trees)"),
        ("HAL_ERROR_TAMPER", "tamper event detected"),
    ]
}
