extension XDRError {
    /// The status the reference server answers when a request fails to decode this way
    /// (docs/wire-protocol.md §3.2), for a server that wants to behave like the firmware.
    public var halStatus: HALError {
        switch self {
        case .truncated, .lengthExceedsMaximum, .unexpectedLength, .nonZeroPadding, .trailingBytes, .rangeEndsBeforeStart:
            .xdrBufferOverflow
        case .fieldAfterMissingPadding:
            .assertionFailed
        case .badKeyNameLength:
            .keyNameTooLong
        case .countExceedsInput:
            .rpcPacketOverflow
        }
    }
}
