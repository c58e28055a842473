/// Where a transfer stands (see ``LedgerEvent``).
public enum TransferState: String, Hashable, Sendable, Codable, CustomStringConvertible {
    /// Reserved; the export request has not been sent.
    case planned
    /// The export request may have been sent: the source may have shrunk.
    case exporting
    /// The wrapped share exists (its digest is recorded); no board holds the leaves yet.
    case exported
    /// The destination holds the share; not yet checked.
    case imported
    /// The destination holds the share and reports the key's public key.
    case verified
    /// The leaves left the source but no board holds them: lost, never reused.
    case burned
    /// Given up before anything left the source: the leaves stay the source's.
    case released

    /// Whether the range is reserved but held by no destination yet.
    public var isInFlight: Bool { self == .planned || self == .exporting || self == .exported }
    /// Whether nothing more will happen to this transfer.
    public var isFinished: Bool { self == .verified || self == .burned || self == .released }

    /// The state's name, as the ledger and `cryptech share status` write it.
    public var description: String { rawValue }
}
