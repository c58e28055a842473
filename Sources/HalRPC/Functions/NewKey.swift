/// The results of every function that creates a key (LOAD, GENERATE_*, IMPORT): the new
/// handle and the key's name (a fresh random UUID).
public struct NewKey: Hashable, Sendable, XDRCodable {
    /// The board's handle for the new key, open for this client until PKEY_CLOSE.
    public var pkey: PKeyHandle
    /// The new key's name: how PKEY_OPEN finds it again, on this board only.
    public var name: KeyName

    /// Results carrying `pkey` and `name`.
    public init(pkey: PKeyHandle, name: KeyName) {
        self.pkey = pkey
        self.name = name
    }

    public func encode(to encoder: inout XDREncoder) {
        encoder.encode(pkey)
        encoder.encode(name)
    }

    public init(from decoder: inout XDRDecoder) throws(XDRError) {
        pkey = try decoder.decode()
        name = try decoder.decode()
    }
}
