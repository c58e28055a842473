/// One line of the ledger: a header (sequence number, SHA-256 of the previous line, time, the
/// key it is about) and the event's fields, all in one flat JSON object:
///
///     {"board":"B","event":"imported","key":"61a5…:5065…","keyName":"…","prev":"9f2c…","seq":7,…}
public struct LedgerRecord: Hashable, Sendable {
    /// 1 for the first line, then +1 per line.
    public var sequence: Int
    /// SHA-256 of the previous line's bytes (without its newline); zeros for the first line.
    public var previous: SHA256Digest
    /// UTC, ISO 8601.
    public var time: String
    /// The key the event is about; `nil` for ledger-wide events (repairs, checkpoints).
    public var key: KeyIdentity?
    /// What the line records; its fields share the line's JSON object with the header.
    public var event: LedgerEvent

    /// - Parameters:
    ///   - sequence: the line's number, from 1.
    ///   - previous: SHA-256 of the previous line.
    ///   - time: when it was written, UTC ISO 8601.
    ///   - key: the key it is about, or `nil` for ledger-wide events.
    ///   - event: what it records.
    public init(sequence: Int, previous: SHA256Digest, time: String, key: KeyIdentity?, event: LedgerEvent) {
        self.sequence = sequence
        self.previous = previous
        self.time = time
        self.key = key
        self.event = event
    }
}

extension LedgerRecord: Codable {
    private enum HeaderKeys: String, CodingKey {
        case seq, prev, time, key, event
    }

    /// Reads the header, then the event named by its `event` field from the same object.
    /// - Throws: `DecodingError` for a missing header field or an unknown event.
    public init(from decoder: any Decoder) throws {
        let header = try decoder.container(keyedBy: HeaderKeys.self)
        sequence = try header.decode(Int.self, forKey: .seq)
        previous = try header.decode(SHA256Digest.self, forKey: .prev)
        time = try header.decode(String.self, forKey: .time)
        key = try header.decodeIfPresent(KeyIdentity.self, forKey: .key)
        let name = try header.decode(String.self, forKey: .event)
        switch name {
        case "key": event = .keyRegistered(try KeyRegistration(from: decoder))
        case "planned": event = .planned(try TransferPlanned(from: decoder))
        case "exporting": event = .exporting(try TransferExporting(from: decoder))
        case "exported": event = .exported(try TransferExported(from: decoder))
        case "imported": event = .imported(try TransferImported(from: decoder))
        case "verified": event = .verified(try TransferVerified(from: decoder))
        case "burned": event = .burned(try RangeBurned(from: decoder))
        case "released": event = .released(try TransferReleased(from: decoder))
        case "observed": event = .observed(try BoardObservation(from: decoder))
        case "alarm": event = .alarm(try LedgerAlarm(from: decoder))
        case "repaired": event = .repaired(try LedgerRepair(from: decoder))
        case "checkpoint": event = .checkpoint(try LedgerCheckpoint(from: decoder))
        default:
            throw DecodingError.dataCorruptedError(forKey: .event, in: header, debugDescription: "unknown event '\(name)'")
        }
    }

    /// Writes the event's fields and the header into one flat JSON object.
    public func encode(to encoder: any Encoder) throws {
        // The payload's fields and the header share one JSON object: both containers are keyed
        // containers of the same encoder.
        switch event {
        case .keyRegistered(let payload): try payload.encode(to: encoder)
        case .planned(let payload): try payload.encode(to: encoder)
        case .exporting(let payload): try payload.encode(to: encoder)
        case .exported(let payload): try payload.encode(to: encoder)
        case .imported(let payload): try payload.encode(to: encoder)
        case .verified(let payload): try payload.encode(to: encoder)
        case .burned(let payload): try payload.encode(to: encoder)
        case .released(let payload): try payload.encode(to: encoder)
        case .observed(let payload): try payload.encode(to: encoder)
        case .alarm(let payload): try payload.encode(to: encoder)
        case .repaired(let payload): try payload.encode(to: encoder)
        case .checkpoint(let payload): try payload.encode(to: encoder)
        }
        var header = encoder.container(keyedBy: HeaderKeys.self)
        try header.encode(sequence, forKey: .seq)
        try header.encode(previous, forKey: .prev)
        try header.encode(time, forKey: .time)
        try header.encodeIfPresent(key, forKey: .key)
        try header.encode(event.name, forKey: .event)
    }
}
